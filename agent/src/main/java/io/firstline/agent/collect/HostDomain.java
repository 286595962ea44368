package io.firstline.agent.collect;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's fully qualified name, for the inventory. OSHI's
 * {@code getDomainName()} logs a stack trace at WARN every time the host
 * name does not resolve, which is common on endpoints (no DNS record, no
 * /etc/hosts line); here that is one INFO line per process and an empty
 * domain.
 */
final class HostDomain {
    private static final Logger log = LoggerFactory.getLogger(HostDomain.class);
    private static final AtomicBoolean REPORTED = new AtomicBoolean();

    private HostDomain() {
    }

    /** The canonical name of this host, or "" when its name does not resolve. */
    static String get() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            if (REPORTED.compareAndSet(false, true)) {
                log.info("the host name does not resolve ({}); the inventory has no domain (reported once)", e.getMessage());
            }
            return "";
        }
    }
}

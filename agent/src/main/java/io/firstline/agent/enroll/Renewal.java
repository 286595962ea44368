package io.firstline.agent.enroll;

import io.firstline.agent.link.ConsoleAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the agent's certificate when less than a third of its lifetime is
 * left: checked at start and every six hours, trying the console addresses
 * as enrollment does ({@link Enroller}). The link picks the new certificate up
 * on its next connection.
 */
public final class Renewal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Renewal.class);
    static final Duration CHECK_EVERY = Duration.ofHours(6);
    /** Attempts per console address while the consoles answer that they are busy. */
    static final int RENEW_ATTEMPTS = 3;

    private final List<ConsoleAddress> consoles;
    private final Path stateDir;
    private final CredentialSource credentials;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "firstline-renewal");
        t.setDaemon(true);
        return t;
    });

    public Renewal(List<ConsoleAddress> consoles, Path stateDir, CredentialSource credentials, Clock clock) {
        this.consoles = List.copyOf(consoles);
        this.stateDir = stateDir;
        this.credentials = credentials;
        this.clock = clock;
    }

    public void start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                log.error("certificate renewal check failed", e); // keep the schedule alive
            }
        }, 30, CHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /** Renews now if due; returns whether a new certificate was saved. */
    public boolean check() {
        AgentCredentials current = credentials.current();
        if (!current.needsRenewal(clock)) {
            return false;
        }
        try {
            // A busy or unreachable node is left for the next address; busy ones are come back to when due, a few times each.
            AgentCredentials renewed = new Enroller(Duration.ofSeconds(15), BusyRetry.standard()
                    .withAttempts(RENEW_ATTEMPTS * consoles.size()).withProgress(log::info)).renew(consoles, current, stateDir);
            log.info("certificate renewed; valid until {}", renewed.certificate().getNotAfter().toInstant());
            credentials.get();
            return true;
        } catch (Enroller.EnrollmentException e) {
            log.warn("certificate renewal failed: {} (next check in {} h)", e.getMessage(), CHECK_EVERY.toHours());
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package io.firstline.console.cluster;

import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that one node of several does at a time, such as the console-side
 * rules: a named lease in the store ({@code console_leases}, migration
 * V192). The holder renews it on every {@link #held} call (once a second);
 * another node takes it over once it has expired, that is
 * {@link #DURATION} after the holder's last renewal, so a node that died
 * hands its work on within a few seconds. A holder that cannot renew stops
 * at once, before its lease could expire and another take it. Times are the
 * nodes' clocks (keep them in sync with NTP, as any cluster needs).
 */
public final class Lease {
    private static final Logger log = LoggerFactory.getLogger(Lease.class);
    /** How long a lease outlives its holder's last renewal. */
    public static final Duration DURATION = Duration.ofSeconds(5);

    private final Store store;
    private final String name;
    private final String nodeId;
    private final Clock clock;
    private boolean holding;

    public Lease(Store store, String name, String nodeId, Clock clock) {
        this.store = store;
        this.name = name;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** Renews the lease or takes it if it is free or expired; true while this node holds it. */
    public synchronized boolean held() {
        long now = clock.millis();
        boolean nowHeld;
        try {
            nowHeld = store.write(c -> {
                Sql.update(c, "INSERT INTO console_leases (name, holder, acquired_at_ms, expires_at_ms) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (name) DO NOTHING", name, nodeId, now, now + DURATION.toMillis());
                Sql.update(c, "UPDATE console_leases SET holder = ?, acquired_at_ms = ? WHERE name = ? AND holder <> ? AND expires_at_ms < ?",
                        nodeId, now, name, nodeId, now);
                return Sql.update(c, "UPDATE console_leases SET expires_at_ms = ? WHERE name = ? AND holder = ?",
                        now + DURATION.toMillis(), name, nodeId) == 1;
            });
        } catch (RuntimeException e) {
            nowHeld = false;
            if (holding) {
                log.warn("lease {}: cannot renew it ({}); leaving its work to another node", name, e.toString());
            }
        }
        if (nowHeld != holding) {
            log.info(nowHeld ? "lease {}: this node does its work now" : "lease {}: another node does its work now", name);
        }
        holding = nowHeld;
        return nowHeld;
    }

    /** The node holding the lease now, if its lease has not expired. */
    public Optional<String> holder() {
        long now = clock.millis();
        return store.read(c -> Sql.one(c, "SELECT holder FROM console_leases WHERE name = ? AND expires_at_ms >= ?",
                rs -> rs.getString(1), name, now));
    }

    /** Gives the lease up (a node shutting down), so another takes it at once. */
    public synchronized void release() {
        if (holding) {
            try {
                store.write(c -> Sql.update(c, "UPDATE console_leases SET expires_at_ms = 0 WHERE name = ? AND holder = ?", name, nodeId));
            } catch (RuntimeException e) {
                log.debug("lease {}: could not release it: {}", name, e.toString());
            }
            holding = false;
        }
    }
}

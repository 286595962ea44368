package io.firstline.console.fleet;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the fleet durable without touching the store on the ingest path: on
 * its own thread, once a second it saves the agents that connected,
 * disconnected or changed facts, and every {@link #PERIODIC} also those that
 * only sent samples (their last-seen time and the fleet row's values). A
 * failed save is retried on the next pass; {@link #close} saves everything
 * once more.
 */
public final class FleetPersistence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FleetPersistence.class);
    /** How stale the stored last-seen time and values of a connected agent may be. */
    public static final Duration PERIODIC = Duration.ofSeconds(30);

    private final FleetState fleet;
    private final FleetStore store;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private long lastPeriodicMs;
    private boolean failing;

    private FleetPersistence(FleetState fleet, FleetStore store, Clock clock) {
        this.fleet = fleet;
        this.store = store;
        this.clock = clock;
        this.lastPeriodicMs = clock.millis();
        this.thread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("firstline-fleet-store", true));
    }

    /** Loads the stored fleet into {@code fleet} and starts saving it. */
    public static FleetPersistence start(FleetState fleet, FleetStore store, Clock clock) {
        List<StoredAgent> stored = store.load();
        stored.forEach(fleet::restore);
        if (!stored.isEmpty()) {
            log.info("fleet: {} known from before this start (offline until they connect)",
                    stored.size() == 1 ? "1 agent" : stored.size() + " agents");
        }
        FleetPersistence p = new FleetPersistence(fleet, store, clock);
        p.thread.scheduleWithFixedDelay(p::pass, 1, 1, TimeUnit.SECONDS);
        return p;
    }

    private synchronized void pass() {
        long now = clock.millis();
        boolean periodic = now - lastPeriodicMs >= PERIODIC.toMillis();
        if (periodic) {
            lastPeriodicMs = now;
        }
        save(periodic);
    }

    /** Saves what is due now ({@code periodic}: everything that changed). Called on the fleet-store thread or at close. */
    synchronized void save(boolean periodic) {
        List<StoredAgent> rows = fleet.toSave(periodic);
        if (rows.isEmpty()) {
            return;
        }
        try {
            store.save(rows, clock.millis());
            if (failing) {
                log.info("fleet: saving agents' facts works again");
                failing = false;
            }
        } catch (RuntimeException e) {
            fleet.saveFailed(rows);
            if (!failing) {
                log.warn("fleet: could not save the facts of {} agents; retrying every second: {}", rows.size(), e.toString());
                failing = true;
            }
        }
    }

    /** Stops the thread and saves everything not saved yet. Call before closing the store, after the agent server. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        save(true);
    }
}

package io.firstline.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects faults into the simulated fleet and times each one to its ticket:
 * every {@code every}, a connected agent picked at random has a file system
 * (a new one each time, so each fault is a new ticket) turn read-only, which
 * the shipped rule {@value #RULE} turns into a ticket; the clock polls the
 * console's open tickets every {@value #POLL_MS} ms while a fault waits for
 * its ticket, so a figure is the time to the ticket being visible in the API,
 * up to {@value #POLL_MS} ms late. A fault with no ticket after
 * {@link #GIVE_UP} is counted as missing.
 */
final class FaultClock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultClock.class);
    static final String RULE = "filesystem_read_only";
    static final long POLL_MS = 100;
    static final Duration GIVE_UP = Duration.ofSeconds(60);

    private final ConsoleApi api;
    private final List<SimulatedAgent> agents;
    private final Duration hold;
    private final SplittableRandom random;
    private final Recorder toTicketMicros = new Recorder(3);
    private final Map<ConsoleApi.TicketKey, Long> waiting = new ConcurrentHashMap<>();
    private final AtomicLong injected = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sim-faults");
        t.setDaemon(true);
        return t;
    });
    private long next;

    FaultClock(ConsoleApi api, List<SimulatedAgent> agents, Duration hold, long seed) {
        this.api = api;
        this.agents = agents;
        this.hold = hold;
        this.random = new SplittableRandom(seed);
    }

    /** Injects a fault every {@code every} from now on. */
    void start(Duration every) {
        thread.scheduleAtFixedRate(this::inject, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    private void inject() {
        for (int tries = 0; tries < 100; tries++) {
            SimulatedAgent a = agents.get(random.nextInt(agents.size()));
            if (a.connected()) {
                String mount = "/mnt/fault-" + (++next);
                waiting.put(new ConsoleApi.TicketKey(a.agentId(), RULE, mount), System.nanoTime());
                injected.incrementAndGet();
                a.readOnlyFault(mount, hold);
                return;
            }
        }
    }

    private void poll() {
        if (waiting.isEmpty()) {
            return;
        }
        try {
            List<ConsoleApi.TicketKey> open = api.openTickets(RULE);
            long now = System.nanoTime();
            for (ConsoleApi.TicketKey k : open) {
                Long at = waiting.remove(k);
                if (at != null) {
                    toTicketMicros.recordValue(Math.max(0, (now - at) / 1000));
                }
            }
            waiting.values().removeIf(at -> {
                boolean late = now - at > GIVE_UP.toNanos();
                if (late) {
                    missing.incrementAndGet();
                }
                return late;
            });
        } catch (RuntimeException e) {
            log.warn("cannot read the console's tickets: {}", e.getMessage());
        }
    }

    /** Faults injected so far. */
    long injected() {
        return injected.get();
    }

    /** Faults whose ticket did not show within {@link #GIVE_UP}. */
    long missing() {
        return missing.get();
    }

    /** Fault-to-ticket times since the last call, in µs. */
    org.HdrHistogram.Histogram takeTimes() {
        return toTicketMicros.getIntervalHistogram();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

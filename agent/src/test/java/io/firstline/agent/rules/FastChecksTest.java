package io.firstline.agent.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.collect.Registration;
import io.firstline.agent.collect.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FastChecksTest {
    private static final HostProbe PROBE = new HostProbe();

    /** A clock the test moves. */
    private static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-29T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void keepsCollectorsThatFeedRulesAndThoseNotYetProducingDropsTheRest() {
        AtomicBoolean late = new AtomicBoolean(false);
        StepClock clock = new StepClock();
        FastChecks fast = new FastChecks(List.of(
                new Registration("watched", true, p -> out -> out.value("w.metric", 1)),
                new Registration("other", true, p -> out -> out.value("o.metric", 1)),
                new Registration("late", true, p -> out -> {
                    if (late.get()) {
                        out.value("l.metric", "x", 2);
                    }
                })), PROBE, clock, 250);
        for (int i = 0; i < FastChecks.LEARNING_PASSES; i++) {
            assertEquals(List.of(new Snapshot.Reading("w.metric", "", 1.0)), fast.read(m -> m.startsWith("w.") || m.startsWith("l.")));
            // Every pass is due: at 5 s a collector would have to cost over 1.6 ms of CPU per run to be
            // deferred, where a step of one check interval (250 ms) deferred it at 84 µs, which a busy
            // machine's first, cold runs reach (a flake seen in CI).
            clock.now = clock.now.plus(Duration.ofSeconds(5));
        }
        assertEquals(List.of("watched", "late"), fast.collectors());
        late.set(true);
        // Well past any re-read interval the measured costs could give a trivial collector.
        clock.now = clock.now.plus(Duration.ofSeconds(5));
        assertEquals(2, fast.read(m -> m.startsWith("w.") || m.startsWith("l.")).size());
    }

    @Test
    void aCollectorThatNeverProducesAnythingIsDroppedInTheEnd() {
        StepClock clock = new StepClock();
        FastChecks fast = new FastChecks(List.of(
                new Registration("watched", true, p -> out -> out.value("w.metric", 1)),
                new Registration("silent", true, p -> out -> { })), PROBE, clock, 250);
        for (int i = 0; i < FastChecks.GIVE_UP_PASSES; i++) {
            fast.read(m -> m.startsWith("w."));
            clock.now = clock.now.plus(Duration.ofSeconds(5));
        }
        assertEquals(List.of("watched"), fast.collectors());
    }

    @Test
    void anExpensiveCollectorIsReReadLessOftenThanACheapOne() {
        StepClock clock = new StepClock();
        AtomicInteger cheap = new AtomicInteger();
        AtomicInteger costly = new AtomicInteger();
        FastChecks fast = new FastChecks(List.of(
                new Registration("cheap", true, p -> out -> {
                    cheap.incrementAndGet();
                    out.value("c.metric", 1);
                }),
                new Registration("costly", true, p -> out -> {
                    costly.incrementAndGet();
                    // 4 ms of CPU work, however busy the machine is.
                    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                    long end = threads.getCurrentThreadCpuTime() + 4_000_000;
                    while (threads.getCurrentThreadCpuTime() < end) {
                        Thread.onSpinWait();
                    }
                    out.value("e.metric", 1);
                })), PROBE, clock, 250);
        for (int i = 0; i < 40; i++) { // ten seconds of checks
            fast.read(m -> true);
            clock.now = clock.now.plus(Duration.ofMillis(250));
        }
        assertTrue(cheap.get() >= 20, "cheap collector several times a second: " + cheap.get());
        assertTrue(costly.get() <= 6, "4 ms collector within the budget: " + costly.get());
        assertTrue(fast.intervalsMs().get(1) >= 2000, fast.intervalsMs().toString());
    }
}

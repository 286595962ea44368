package io.firstline.agent.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.collect.Snapshot.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CollectorRunnerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void aThrowingCollectorIsMarkedFailedAndTheOthersAreIntact() {
        List<Registration> regs = List.of(
                new Registration("good", true, p -> out -> out.value("good.value", 1)),
                new Registration("bad", true, p -> out -> {
                    out.value("bad.partial", 2);
                    throw new IllegalStateException("sensor went away");
                }),
                new Registration("other", true, p -> out -> out.value("other.value", "x", 3)));
        Snapshot s = new CollectorRunner(regs, null, CLOCK).collect();
        assertEquals(CLOCK.millis(), s.timestampMs());
        assertEquals(List.of("good.value", "other.value"), s.values().stream().map(Snapshot.Reading::metric).toList());
        assertEquals(Outcome.FAILED, s.runs().get(1).outcome());
        assertTrue(s.runs().get(1).error().contains("sensor went away"));
        assertEquals(Outcome.OK, s.runs().get(0).outcome());
        assertEquals(Outcome.OK, s.runs().get(2).outcome());
    }

    /** A clock the test moves by hand. */
    static final class StepClock extends Clock {
        long millis = Instant.parse("2026-11-29T00:00:00Z").toEpochMilli();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void unsupportedIsRunOnceAnHourAndReportedOnItsSchedule() {
        int[] calls = {0};
        List<Registration> regs = List.of(
                new Registration("battery", true, p -> out -> {
                    calls[0]++;
                    throw new UnsupportedOperationException("no battery API");
                }),
                new Registration("cpu", true, p -> out -> out.value("cpu.usage_ratio", 0.5)));
        StepClock clock = new StepClock();
        CollectorRunner runner = new CollectorRunner(regs, null, clock);
        Snapshot first = runner.collect();
        assertEquals(Outcome.UNSUPPORTED, first.runs().get(0).outcome());
        assertTrue(first.runs().get(0).error().contains("no battery API"));
        for (int i = 0; i < 359; i++) {
            clock.millis += 10_000;
            Snapshot s = runner.collect();
            assertEquals(Outcome.UNSUPPORTED, s.runs().get(0).outcome(), "cycle " + i);
            assertEquals(0, s.runs().get(0).durationMicros());
        }
        assertEquals(1, calls[0], "not run again within the hour");
        clock.millis += 10_000;
        assertEquals(Outcome.UNSUPPORTED, runner.collect().runs().get(0).outcome());
        assertEquals(2, calls[0]);
    }

    @Test
    void slowCollectorsRunOnTheirOwnScheduleAndCountTheirValues() {
        List<Registration> regs = List.of(
                new Registration("cpu", true, p -> out -> out.value("cpu.usage_ratio", 0.5)),
                new Registration("processes", true, java.time.Duration.ofSeconds(30), p -> out -> {
                    out.value("processes.count", 90);
                    out.text("process.name", "cpu1", "java");
                }));
        StepClock clock = new StepClock();
        CollectorRunner runner = new CollectorRunner(regs, null, clock);
        List<Integer> ranAt = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Snapshot s = runner.collect();
            assertTrue(s.countsMatch());
            if (s.runs().size() == 2) {
                ranAt.add(i);
                assertEquals(1, s.runs().get(1).valueCount());
                assertEquals(1, s.runs().get(1).textCount());
            }
            // A fixed-rate schedule runs a little early or late; the collector still runs every third cycle.
            clock.millis += 10_000 + (i % 2 == 0 ? -40 : 40);
        }
        assertEquals(List.of(0, 3, 6, 9), ranAt);
    }

    @Test
    void aCollectorThatCannotStartIsFailedNotFatal() {
        List<Registration> regs = List.of(
                new Registration("broken", true, p -> {
                    throw new IllegalStateException("no such device");
                }),
                new Registration("fine", true, p -> out -> out.value("fine.value", 1)));
        Snapshot s = new CollectorRunner(regs, null, CLOCK).collect();
        assertEquals(Outcome.FAILED, s.runs().get(0).outcome());
        assertEquals(1, s.values().size());
    }

    @Test
    void nonFiniteValuesAndBlankTextsAreDropped() {
        List<Registration> regs = List.of(new Registration("x", true, p -> out -> {
            out.value("a", Double.NaN);
            out.value("b", Double.POSITIVE_INFINITY);
            out.value("c", 1);
            out.text("t", "r", " ");
        }));
        Snapshot s = new CollectorRunner(regs, null, CLOCK).collect();
        assertEquals(1, s.values().size());
        assertEquals(0, s.texts().size());
    }

    @Test
    void registrySelectsDefaultsAndRejectsUnknownNames() {
        CollectorRegistry r = CollectorRegistry.builtIn();
        assertEquals(List.of("cpu", "memory", "filesystem", "disk", "network", "connectivity", "processes", "sensors", "power", "os",
                "services", "time", "kernel_log", "mount_events", "link_events"), r.select(Set.of(), Set.of()).stream().map(Registration::name).toList());
        assertEquals(List.of("cpu", "memory", "disk"),
                r.select(Set.of(), Set.of("filesystem", "network", "connectivity", "processes", "sensors", "power", "os", "services", "time",
                        "kernel_log", "mount_events", "link_events"))
                        .stream().map(Registration::name).toList());
        assertEquals(java.time.Duration.ofSeconds(30), r.select(Set.of(), Set.of()).stream()
                .filter(x -> x.name().equals("processes")).findFirst().orElseThrow().every());
        assertEquals(java.time.Duration.ofSeconds(5), r.select(Set.of(), Set.of(), java.util.Map.of("processes", java.time.Duration.ofSeconds(5)))
                .stream().filter(x -> x.name().equals("processes")).findFirst().orElseThrow().every());
        assertThrows(IllegalArgumentException.class, () -> r.select(Set.of(), Set.of(), java.util.Map.of("gpu", java.time.Duration.ofSeconds(5))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.select(Set.of("gpu"), Set.of()));
        assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Registration("Bad Name", true, p -> out -> { }));
    }

    /** The agent runs a collector in more than one runner (the sample loop, each fast check); "reported once" is once per process. */
    @Test
    void unsupportedAndFailedAreLoggedOncePerProcessNotOncePerRunner() {
        List<Registration> regs = List.of(
                new Registration("once_unsupported", true, p -> out -> {
                    throw new UnsupportedOperationException("no such hardware");
                }),
                new Registration("once_failing", true, p -> out -> {
                    throw new IllegalStateException("broken");
                }),
                new Registration("once_not_starting", true, p -> {
                    throw new IllegalStateException("cannot start");
                }));
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            new CollectorRunner(regs, null, CLOCK).collect();
            new CollectorRunner(regs, null, CLOCK).collect();
            new CollectorRunner(List.of(regs.get(0)), null, CLOCK).collect();
        } finally {
            System.setErr(old);
        }
        String log = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        for (String name : List.of("once_unsupported", "once_failing", "once_not_starting")) {
            assertEquals(1, log.lines().filter(l -> l.contains("collector " + name + " ")).count(), log);
        }
    }
}

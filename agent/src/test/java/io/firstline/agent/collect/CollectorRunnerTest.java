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

    @Test
    void unsupportedIsReportedEveryCycleAsUnsupported() {
        List<Registration> regs = List.of(new Registration("battery", true, p -> out -> {
            throw new UnsupportedOperationException("no battery API");
        }));
        CollectorRunner runner = new CollectorRunner(regs, null, CLOCK);
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.UNSUPPORTED, runner.collect().runs().get(0).outcome());
        }
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
        assertEquals(List.of("cpu", "memory", "filesystem", "network"), r.select(Set.of(), Set.of()).stream().map(Registration::name).toList());
        assertEquals(List.of("cpu", "memory", "network"), r.select(Set.of(), Set.of("filesystem")).stream().map(Registration::name).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.select(Set.of("gpu"), Set.of()));
        assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Registration("Bad Name", true, p -> out -> { }));
    }
}

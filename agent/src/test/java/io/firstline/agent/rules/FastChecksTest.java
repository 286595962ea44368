package io.firstline.agent.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.collect.Registration;
import io.firstline.agent.collect.Snapshot;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FastChecksTest {
    @Test
    void keepsCollectorsThatFeedRulesAndThoseNotYetProducingDropsTheRest() {
        AtomicBoolean late = new AtomicBoolean(false);
        FastChecks fast = new FastChecks(List.of(
                new Registration("watched", true, p -> out -> out.value("w.metric", 1)),
                new Registration("other", true, p -> out -> out.value("o.metric", 1)),
                new Registration("late", true, p -> out -> {
                    if (late.get()) {
                        out.value("l.metric", "x", 2);
                    }
                })), new HostProbe(), Clock.systemUTC());
        for (int i = 0; i < FastChecks.LEARNING_PASSES; i++) {
            assertEquals(List.of(new Snapshot.Reading("w.metric", "", 1.0)), fast.read(m -> m.startsWith("w.") || m.startsWith("l.")));
        }
        assertEquals(List.of("watched", "late"), fast.collectors());
        late.set(true);
        assertEquals(2, fast.read(m -> m.startsWith("w.") || m.startsWith("l.")).size());
    }
}

package io.firstline.agent.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.collect.Snapshot.Outcome;
import io.firstline.agent.collect.Snapshot.Reading;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Invariants, not exact values, on the machine the tests run on. */
class LiveHostTest {

    @Test
    void builtInCollectorsSeeThisHostSanely() throws InterruptedException {
        CollectorRunner runner = new CollectorRunner(CollectorRegistry.BUILT_IN, new HostProbe(), Clock.systemUTC());
        runner.collect();
        Thread.sleep(300); // a measurable interval for rates; not a timing assertion
        Snapshot s = runner.collect();

        for (Snapshot.Run run : s.runs()) {
            assertEquals(Outcome.OK, run.outcome(), run.collector() + ": " + run.error());
            assertTrue(run.durationMicros() >= 0);
        }
        Map<String, List<Reading>> byMetric = s.values().stream().collect(Collectors.groupingBy(Reading::metric));
        for (Reading r : s.values()) {
            assertFalse(r.metric().isBlank());
            assertTrue(Double.isFinite(r.value()), r.toString());
            if (r.metric().endsWith("_ratio")) {
                assertTrue(r.value() >= 0 && r.value() <= 1.0000001, r.toString());
            }
            if (r.metric().endsWith("_per_second") || r.metric().endsWith("_bytes")) {
                assertTrue(r.value() >= 0, r.toString());
            }
        }
        double total = byMetric.get("memory.total_bytes").get(0).value();
        double used = byMetric.get("memory.used_bytes").get(0).value();
        assertTrue(total > 0 && used >= 0 && used <= total);
        assertTrue(byMetric.containsKey("cpu.usage_ratio"), "cpu usage after one interval");

        List<Reading> sizes = byMetric.get("fs.size_bytes");
        assertFalse(sizes == null || sizes.isEmpty(), "at least one file system");
        for (Reading size : sizes) {
            assertFalse(size.resource().isBlank());
            double free = byMetric.get("fs.free_bytes").stream().filter(r -> r.resource().equals(size.resource())).findFirst().orElseThrow().value();
            assertTrue(free >= 0 && free <= size.value(), size.resource());
        }
        if (byMetric.containsKey("net.up")) {
            byMetric.get("net.up").forEach(r -> assertFalse(r.resource().isBlank()));
        }
    }
}

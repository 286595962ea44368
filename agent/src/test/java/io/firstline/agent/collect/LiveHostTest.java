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
    private static final java.util.Set<String> UNSUPPORTABLE = java.util.Set.of("sensors", "services", "time");

    private static double one(Map<String, List<Reading>> byMetric, String metric) {
        return one(byMetric, metric, "");
    }

    private static double one(Map<String, List<Reading>> byMetric, String metric, String resource) {
        List<Reading> rs = byMetric.get(metric);
        assertTrue(rs != null, "no " + metric);
        return rs.stream().filter(r -> r.resource().equals(resource)).findFirst().orElseThrow(() -> new AssertionError(metric + " " + resource))
                .value();
    }

    @Test
    void inventoryDescribesThisHost() {
        List<InventoryReader.Item> items = new InventoryReader(new HostProbe(), "9.9.9").read();
        Map<String, List<InventoryReader.Item>> byKind = items.stream().collect(Collectors.groupingBy(InventoryReader.Item::kind));
        assertEquals("9.9.9", byKind.get("agent").get(0).attributes().get("version"));
        assertTrue(Integer.parseInt(byKind.get("cpu").get(0).attributes().get("threads")) > 0);
        assertFalse(byKind.get("os").get(0).attributes().getOrDefault("family", "").isBlank());
        assertFalse(byKind.get("os").get(0).attributes().getOrDefault("hostname", "").isBlank());
        for (InventoryReader.Item i : items) {
            assertFalse(i.name().isBlank(), i.toString());
            i.attributes().values().forEach(v -> assertFalse(v.isBlank(), i.toString()));
        }
        assertEquals(items, new InventoryReader(new HostProbe(), "9.9.9").read(), "an unchanged machine reads the same");
    }

    @Test
    void builtInCollectorsSeeThisHostSanely() throws InterruptedException {
        CollectorRunner runner = new CollectorRunner(CollectorRegistry.everyCycle(CollectorRegistry.BUILT_IN), new HostProbe(),
                Clock.systemUTC());
        runner.collect();
        Thread.sleep(300); // a measurable interval for rates; not a timing assertion
        Snapshot s = runner.collect();

        assertEquals(CollectorRegistry.BUILT_IN.size() - CollectorRegistry.EVENT_SOURCES.size(), s.runs().size(), "every collector ran");
        for (Snapshot.Run run : s.runs()) {
            // Sensors, services and time may be unsupported here (a VM, a container, no console); nothing may fail.
            assertTrue(run.outcome() == Outcome.OK || run.outcome() == Outcome.UNSUPPORTED && UNSUPPORTABLE.contains(run.collector()),
                    run.collector() + ": " + run.outcome() + " " + run.error());
            assertTrue(run.durationMicros() >= 0);
        }
        assertTrue(s.countsMatch());
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
        for (String m : List.of("disk.read_bytes_per_second", "net.rx_bytes_per_second", "fs.type", "net.addresses")) {
            java.util.stream.Stream.concat(s.values().stream().filter(r -> r.metric().equals(m)).map(Reading::resource),
                    s.texts().stream().filter(t -> t.metric().equals(m)).map(Snapshot.TextReading::resource))
                    .forEach(res -> assertFalse(res.isBlank(), m + " needs a resource"));
        }
        assertTrue(one(byMetric, "processes.count") > 0);
        assertTrue(one(byMetric, "processes.threads") >= one(byMetric, "processes.count"));
        assertTrue(one(byMetric, "processes.zombies") >= 0);
        assertTrue(one(byMetric, "process.pid", "mem1") > 0, "the biggest process has a pid");
        assertTrue(one(byMetric, "process.rss_bytes", "mem1") >= one(byMetric, "process.rss_bytes", "mem2"), "ranked by memory");
        assertTrue(one(byMetric, "tcp.established") >= 0);
        assertTrue(one(byMetric, "os.uptime_seconds") > 0);
        assertTrue(one(byMetric, "os.boot_time_seconds") * 1000 < System.currentTimeMillis());
        double swapTotal = one(byMetric, "memory.swap_total_bytes");
        assertTrue(one(byMetric, "memory.swap_used_bytes") <= swapTotal);
        assertTrue(one(byMetric, "cpu.load1") >= 0);
        assertTrue(s.texts().stream().filter(t -> t.metric().equals("process.name")).noneMatch(t -> t.text().isBlank()));
    }
}

package io.firstline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.collect.Snapshot;
import io.firstline.agent.encode.SampleEncoder;
import io.firstline.agent.encode.SeriesDictionary;
import io.firstline.proto.Sample;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedHostTest {
    private static double value(Snapshot s, String metric, String resource) {
        return s.values().stream().filter(r -> r.metric().equals(metric) && r.resource().equals(resource)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric + " of '" + resource + "'")).value();
    }

    @Test
    void aSampleHasFortyValuesInCollectorOrderAndEncodesWithTheAgentsEncoder() {
        SimulatedHost host = new SimulatedHost(7, 0);
        Snapshot s = host.next(60_000);
        assertEquals(40, s.values().size());
        assertTrue(s.countsMatch(), "runs account for every value, so the encoder can tell collectors apart");
        SampleEncoder encoder = new SampleEncoder(new SeriesDictionary(), SimulatedHost.COLLECTORS);
        Sample first = encoder.encode(s);
        assertEquals(42, first.getNewSeriesCount(), "40 values and 2 texts, each defined once");
        Sample second = encoder.encode(host.next(70_000));
        assertEquals(0, second.getNewSeriesCount());
        assertEquals(60, value(s, "os.uptime_seconds", ""), 0);
    }

    @Test
    void valuesStayClearOfTheDefaultRulesThresholds() {
        SimulatedHost host = new SimulatedHost(3, 0);
        for (int i = 0; i < 2_000; i++) {
            Snapshot s = host.next(i * 10_000L);
            assertTrue(value(s, "cpu.usage_ratio", "") <= 0.9);
            assertTrue(value(s, "memory.used_ratio", "") <= 0.9);
            assertTrue(value(s, "fs.used_ratio", "/") < 0.85);
            assertEquals(0, value(s, "fs.read_only", "/"), 0);
        }
    }

    @Test
    void usbSticksComeAndGoSoSeriesChurn() {
        SimulatedHost host = new SimulatedHost(11, 0);
        Set<String> mounts = new HashSet<>();
        int withStick = 0;
        int samples = SimulatedHost.USB_EVERY_SAMPLES * 10;
        for (int i = 0; i < samples; i++) {
            Snapshot s = host.next(i * 10_000L);
            boolean stick = false;
            for (Snapshot.Reading r : s.values()) {
                if (r.resource().startsWith("/media/usb")) {
                    mounts.add(r.resource());
                    stick = true;
                }
            }
            withStick += stick ? 1 : 0;
        }
        assertTrue(mounts.size() >= 3, "several sticks in ten expected periods: " + mounts);
        assertTrue(withStick < samples / 2, "and each one goes away again");
    }

    @Test
    void aFaultIsReadOnlyForItsHoldThenReportedWritableUntilItsTailEnds() {
        SimulatedHost host = new SimulatedHost(5, 0);
        host.fault("/mnt/fault-1", 100_000, 110_000);
        assertEquals(1, value(host.next(100_000), "fs.read_only", "/mnt/fault-1"), 0);
        assertTrue(host.readOnly("/mnt/fault-1", 109_999));
        assertEquals(0, value(host.next(110_000), "fs.read_only", "/mnt/fault-1"), 0);
        assertFalse(host.readOnly("/mnt/fault-1", 110_000));
        Snapshot gone = host.next(110_000 + SimulatedHost.FAULT_TAIL_MS);
        assertTrue(gone.values().stream().noneMatch(r -> r.resource().equals("/mnt/fault-1")));
    }
}

package io.firstline.agent.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuTicksTest {
    // OSHI tick order: USER, NICE, SYSTEM, IDLE, IOWAIT, IRQ, SOFTIRQ, STEAL (the /proc/stat columns)
    @Test
    void sharesFromProcStatDeltas() {
        long[] prev = {1000, 0, 500, 8000, 100, 0, 0, 0};
        long[] now = {1300, 100, 600, 8400, 200, 50, 50, 100};
        CpuTicks t = CpuTicks.between(prev, now);
        double total = 300 + 100 + 100 + 400 + 100 + 50 + 50 + 100;
        assertEquals(400 / total, t.user(), 1e-9);
        assertEquals(200 / total, t.system(), 1e-9);
        assertEquals(100 / total, t.iowait(), 1e-9);
        assertEquals(100 / total, t.steal(), 1e-9);
        assertEquals(400 / total, t.idle(), 1e-9);
        assertEquals(1 - 500 / total, t.usage(), 1e-9);
    }

    @Test
    void noTicksGivesNaNNotDivisionByZero() {
        long[] same = {1, 2, 3, 4, 5, 6, 7, 8};
        assertTrue(Double.isNaN(CpuTicks.between(same, same).user()));
    }

    @Test
    void ratesIgnoreResetsAndFirstSight() {
        assertTrue(Double.isNaN(Rates.rate(-1, 0, 10, 1_000_000_000)));
        assertTrue(Double.isNaN(Rates.rate(100, 0, 50, 1_000_000_000)));
        assertEquals(50.0, Rates.rate(100, 0, 150, 1_000_000_000), 1e-9);
        assertEquals(100.0, Rates.rate(100, 0, 150, 500_000_000), 1e-9);
    }

    @Test
    void readOnlyOptionIsAWholeWord() {
        assertTrue(FilesystemCollector.isReadOnly("ro,relatime"));
        assertTrue(!FilesystemCollector.isReadOnly("rw,errors=remount-ro"));
        assertTrue(!FilesystemCollector.isReadOnly(null));
    }
}

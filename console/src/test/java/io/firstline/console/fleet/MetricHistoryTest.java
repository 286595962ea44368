package io.firstline.console.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricHistoryTest {
    private static final long T0 = 1_795_000_000L;

    @Test
    void keepsOneSlotPerStepWithTheNewestSampleOfThatStep() {
        MetricHistory h = new MetricHistory(5, 10);
        h.record(T0, 0.1f, 0.2f, 0.3f, 1, 2);
        h.record(T0 + 2, 0.5f, 0.2f, 0.3f, 1, 2);
        h.record(T0 + 5, 0.7f, 0.2f, 0.3f, 1, 2);
        HistoryView v = h.view(T0 + 10);
        assertArrayEquals(new long[] {T0, T0 + 5}, v.times());
        assertEquals(0.5, v.series()[0][0], 1e-6);
        assertEquals(0.7, v.series()[0][1], 1e-6);
    }

    @Test
    void wrapsAroundAndDropsWhatIsOlderThanAnHour() {
        MetricHistory h = MetricHistory.oneHour(10);
        for (int i = 0; i < 1000; i++) {
            h.record(T0 + i * 10L, i, 0, 0, 0, 0);
        }
        long now = T0 + 999 * 10L;
        HistoryView v = h.view(now);
        assertEquals(360, v.times().length);
        assertTrue(v.times()[0] >= now - 3600);
        assertEquals(999, v.series()[0][359], 1e-6);
        assertEquals(640, v.series()[0][0], 1e-6);
        for (int i = 1; i < v.times().length; i++) {
            assertEquals(10, v.times()[i] - v.times()[i - 1]);
        }
        // Nothing left once the agent has been silent for an hour.
        assertEquals(0, h.view(now + 3700).times().length);
    }

    @Test
    void ignoresSamplesOlderThanTheNewestAndKeepsMissingValuesAsNaN() {
        MetricHistory h = new MetricHistory(1, 4);
        h.record(T0 + 5, Float.NaN, 0.5f, 0, 0, 0);
        h.record(T0 + 3, 0.9f, 0.9f, 0, 0, 0);
        HistoryView v = h.view(T0 + 6);
        assertEquals(1, v.times().length);
        assertTrue(Double.isNaN(v.series()[0][0]));
        assertEquals(0.5, v.series()[1][0], 1e-6);
    }
}

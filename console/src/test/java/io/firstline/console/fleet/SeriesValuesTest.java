package io.firstline.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The primitive series values behave as the insertion-ordered map they replaced. */
class SeriesValuesTest {
    private static List<String> entries(SeriesValues v) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(v.id(i) + "=" + v.value(i));
        }
        return out;
    }

    private static List<String> entries(Map<Integer, Double> m) {
        List<String> out = new ArrayList<>();
        m.forEach((k, x) -> out.add(k + "=" + x));
        return out;
    }

    @Test
    void aReplacedSeriesKeepsItsPlaceAndRemovalsKeepTheOrder() {
        SeriesValues v = new SeriesValues();
        v.put(5, 0.5);
        v.put(1, 0.1);
        v.put(9, 0.9);
        v.put(1, 1.1);
        assertEquals(List.of("5=0.5", "1=1.1", "9=0.9"), entries(v));
        v.removeIf(id -> id == 5);
        v.put(5, 5.5);
        assertEquals(List.of("1=1.1", "9=0.9", "5=5.5"), entries(v));
        assertEquals(0.9, v.get(9));
        assertTrue(Double.isNaN(v.get(7)));
        v.clear();
        assertEquals(List.of(), entries(v));
        assertTrue(v.isEmpty());
    }

    @Test
    void agreesWithALinkedHashMapOverRandomSamples() {
        Random r = new Random(7);
        SeriesValues v = new SeriesValues();
        Map<Integer, Double> m = new LinkedHashMap<>();
        for (int round = 0; round < 2000; round++) {
            int range = 1 + r.nextInt(round < 1000 ? 40 : 3000);
            int mod = 1 + r.nextInt(5);
            v.removeIf(id -> id % mod == 0);
            m.keySet().removeIf(id -> id % mod == 0);
            for (int i = r.nextInt(60); i > 0; i--) {
                int id = r.nextInt(range);
                double x = r.nextDouble();
                v.put(id, x);
                m.put(id, x);
            }
            assertEquals(entries(m), entries(v), "round " + round);
            int probe = r.nextInt(range);
            assertEquals(m.getOrDefault(probe, Double.NaN), v.get(probe));
        }
    }
}

package io.firstline.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void growsByFactorWithinJitterAndCaps() {
        Backoff b = new Backoff(new SplittableRandom(1));
        double base = 1000;
        for (int i = 0; i < 30; i++) {
            long d = b.next().toMillis();
            double expected = Math.min(base, 120_000);
            assertTrue(d >= expected * 0.8 - 1 && d <= expected * 1.2 + 1, "attempt " + i + ": " + d + " vs " + expected);
            base *= 1.6;
        }
    }

    @Test
    void resetStartsAgainAtOneSecond() {
        Backoff b = new Backoff(new SplittableRandom(2));
        for (int i = 0; i < 10; i++) {
            b.next();
        }
        b.reset();
        long d = b.next().toMillis();
        assertTrue(d >= 800 && d <= 1200, "after reset: " + d);
    }

    @Test
    void jitterSpreadsAgentsApart() {
        // A thousand agents that lost the console at the same moment do not come back together.
        long min = Long.MAX_VALUE;
        long max = 0;
        SplittableRandom seeds = new SplittableRandom(3);
        for (int agent = 0; agent < 1000; agent++) {
            long d = new Backoff(seeds.split()).next().toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(max - min > 300, "spread " + (max - min) + " ms");
        assertEquals(Duration.ofSeconds(120), Backoff.MAX);
    }
}

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

    @Test
    void theFirstReconnectAfterALossIsWithinThreeSecondsAndTheBackoffStartsOverBehindIt() {
        Backoff b = new Backoff(new SplittableRandom(4));
        for (int i = 0; i < 12; i++) {
            b.next(); // grown to its cap by a long outage
        }
        long first = b.afterLoss().toMillis();
        assertTrue(first >= 0 && first < 3_000, "first reconnect " + first);
        long second = b.next().toMillis();
        assertTrue(second >= 800 && second <= 1_200, "then the backoff from 1 s: " + second);
    }

    @Test
    void aFleetThatLostItsConsoleReturnsSpreadOverThreeSeconds() {
        // 3,000 agents lose the console at t = 0: their first attempts fall evenly into 0-3 s, about 1,000 a second.
        int[] perSecond = new int[3];
        SplittableRandom seeds = new SplittableRandom(5);
        for (int agent = 0; agent < 3_000; agent++) {
            perSecond[(int) (new Backoff(seeds.split()).afterLoss().toMillis() / 1000)]++;
        }
        for (int n : perSecond) {
            assertTrue(n > 850 && n < 1_150, java.util.Arrays.toString(perSecond));
        }
    }

    @Test
    void aHintIsObeyedWithItsSpreadAndCappedAtTwoMinutes() {
        SplittableRandom seeds = new SplittableRandom(6);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int agent = 0; agent < 1_000; agent++) {
            long d = new Backoff(seeds.split()).hinted(5_000, 1_000).toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min >= 5_000 && max <= 6_000 && max - min > 900, min + ".." + max);
        assertEquals(Duration.ofSeconds(120), new Backoff(new SplittableRandom(7)).hinted(4_000_000_000L, 0));
        assertEquals(Duration.ZERO, new Backoff(new SplittableRandom(8)).hinted(0, 0));
    }

    @Test
    void aHintDoesNotResetTheBackoff() {
        Backoff b = new Backoff(new SplittableRandom(9));
        b.next();
        b.next();
        b.hinted(500, 0);
        long d = b.next().toMillis();
        assertTrue(d >= 2_560 * 0.8 - 1 && d <= 2_560 * 1.2 + 1, "the third failure's delay: " + d);
    }
}

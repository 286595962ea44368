package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Return slots on a fake clock: paced at the measured handshake rate, never sooner than the minimum nor later than the cap. */
class ReturnSlotsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final ReturnSlots slots = new ReturnSlots(now::get);

    private void advanceMs(long ms) {
        now.addAndGet(ms * 1_000_000);
    }

    @Test
    void aBurstOfRefusalsIsBookedOneSlotAfterAnotherAtTheAssumedRate() {
        ReturnSlots.Slot first = slots.book(0);
        assertEquals(ReturnSlots.MIN_WAIT_MS, first.retryAfterMs());
        assertEquals(ReturnSlots.SPREAD_MS, first.spreadMs());
        long last = first.retryAfterMs();
        for (int i = 1; i < 1000; i++) {
            last = slots.book(0).retryAfterMs();
        }
        // 1,000 agents at 100 handshakes a second: the last comes back ten seconds after the first.
        assertEquals(ReturnSlots.MIN_WAIT_MS + 999 * 10, last, 1);
    }

    @Test
    void theRateFollowsHandshakesCompletedWhileSaturated() {
        // Two seconds saturated at 400 handshakes a second.
        for (int s = 0; s < 6; s++) {
            slots.book(0);
            for (int i = 0; i < 400; i++) {
                slots.handshakeDone();
                advanceMs(2);
            }
            advanceMs(200);
        }
        slots.book(0);
        assertTrue(slots.rate() > 300 && slots.rate() < 400, "rate " + slots.rate());
        // A slow console (20 a second while saturated) spaces its slots out.
        for (int s = 0; s < 10; s++) {
            slots.book(0);
            for (int i = 0; i < 20; i++) {
                slots.handshakeDone();
                advanceMs(50);
            }
        }
        slots.book(0);
        assertTrue(slots.rate() < 30, "rate " + slots.rate());
    }

    @Test
    void aQuietSecondDoesNotLowerTheRate() {
        advanceMs(5_000);
        slots.handshakeDone();
        advanceMs(1_000);
        slots.handshakeDone();
        assertEquals(ReturnSlots.INITIAL_RATE, slots.rate());
    }

    @Test
    void slotsInThePastAreNotReusedAndNoneIsLaterThanTheCap() {
        slots.book(0);
        advanceMs(60_000);
        assertEquals(ReturnSlots.MIN_WAIT_MS, slots.book(0).retryAfterMs(), "the queue drained while nobody was refused");
        long latest = 0;
        int overbooked = 0;
        for (int i = 0; i < 50_000; i++) {
            ReturnSlots.Slot s = slots.book(0);
            latest = Math.max(latest, s.retryAfterMs() + s.spreadMs());
            if (s.spreadMs() > ReturnSlots.SPREAD_MS) {
                overbooked++;
                assertEquals(ReturnSlots.MIN_WAIT_MS, s.retryAfterMs(), "past the cap: anywhere within it");
            }
        }
        assertEquals(ReturnSlots.MAX_WAIT_MS, latest, "none later than the cap, with its spread");
        // At the 50 a second measured by then (a saturated minute with no handshake done halved the assumed 100), about
        // 925 slots fit before the cap (0.5 s to 19 s); the rest come back at random within it.
        assertTrue(overbooked > 49_000 && overbooked < 49_100, "overbooked " + overbooked);
    }

    @Test
    void aRefusalComesBackAfterTheConnectionsStillWaitingAndTheQueueHoldsWhatTheRateServes() {
        // 100 a second assumed: 300 waiting take three seconds, so the refused one's slot is after them.
        assertEquals(3_000, slots.book(300).retryAfterMs());
        assertEquals(3_010, slots.book(0).retryAfterMs(), "the next refusal queues behind it");
        assertEquals(400, slots.servedWithin(4_000_000_000L));
        assertEquals(1, slots.servedWithin(0), "one may always wait");
    }

    @Test
    void waitingConnectionsMarkTheConsoleSaturatedSoTheRateMayFallButNotTheQueue() {
        for (int s = 0; s < 8; s++) {
            slots.saturated();
            for (int i = 0; i < 20; i++) {
                slots.handshakeDone();
                advanceMs(50);
            }
        }
        slots.saturated();
        assertTrue(slots.rate() < 30, "rate " + slots.rate());
        assertEquals(400, slots.servedWithin(4_000_000_000L), "the queue never holds less than the assumed rate serves");
    }
}

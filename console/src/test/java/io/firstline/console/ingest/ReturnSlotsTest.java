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
        ReturnSlots.Slot first = slots.book();
        assertEquals(ReturnSlots.MIN_WAIT_MS, first.retryAfterMs());
        assertEquals(ReturnSlots.SPREAD_MS, first.spreadMs());
        long last = first.retryAfterMs();
        for (int i = 1; i < 1000; i++) {
            last = slots.book().retryAfterMs();
        }
        // 1,000 agents at 100 handshakes a second: the last comes back ten seconds after the first.
        assertEquals(ReturnSlots.MIN_WAIT_MS + 999 * 10, last, 1);
    }

    @Test
    void theRateFollowsHandshakesCompletedWhileSaturated() {
        // Two seconds saturated at 400 handshakes a second.
        for (int s = 0; s < 6; s++) {
            slots.book();
            for (int i = 0; i < 400; i++) {
                slots.handshakeDone();
                advanceMs(2);
            }
            advanceMs(200);
        }
        slots.book();
        assertTrue(slots.rate() > 300 && slots.rate() < 400, "rate " + slots.rate());
        // A slow console (20 a second while saturated) spaces its slots out.
        for (int s = 0; s < 10; s++) {
            slots.book();
            for (int i = 0; i < 20; i++) {
                slots.handshakeDone();
                advanceMs(50);
            }
        }
        slots.book();
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
        slots.book();
        advanceMs(60_000);
        assertEquals(ReturnSlots.MIN_WAIT_MS, slots.book().retryAfterMs(), "the queue drained while nobody was refused");
        long max = 0;
        for (int i = 0; i < 50_000; i++) {
            max = Math.max(max, slots.book().retryAfterMs());
        }
        assertEquals(ReturnSlots.MAX_WAIT_MS, max);
    }
}

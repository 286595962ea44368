package io.firstline.console.ingest;

import java.util.function.LongSupplier;

/**
 * Books when agents refused as overloaded come back, so that they return at
 * the rate this console completes TLS handshakes instead of all together.
 * The rate is measured: handshakes completed per second while connections
 * were being refused (the console was saturated, so that is what it can
 * serve), smoothed; in a quiet second it may only rise. Each refusal takes
 * the next free slot, one {@code 1 / rate} after the last, and the agent
 * comes back at its slot plus a random part of {@link #SPREAD_MS}, so the
 * slots blur into an even stream. Thread-safe (every event loop refuses).
 */
final class ReturnSlots {
    /** Handshakes per second assumed before any is measured: a small machine's. */
    static final double INITIAL_RATE = 100;
    static final double MIN_RATE = 5;
    /** No slot is sooner than this: the handshakes in progress need the CPU first. */
    static final long MIN_WAIT_MS = 500;
    /** Each agent returns at a random point this long after its slot. */
    static final long SPREAD_MS = 1_000;
    /** No slot is later than this; with the spread it stays under the agent's 120 s cap. */
    static final long MAX_WAIT_MS = 110_000;
    private static final long SECOND = 1_000_000_000L;

    /** When to come back: after {@code retryAfterMs}, plus a random 0 to {@code spreadMs}. */
    record Slot(long retryAfterMs, long spreadMs) {
    }

    private final LongSupplier nanoTime;
    private double rate = INITIAL_RATE;
    private long windowStart;
    private int doneInWindow;
    private boolean refusedInWindow;
    private long nextSlot;

    ReturnSlots(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
        this.nextSlot = windowStart;
    }

    /** A handshake completed. */
    synchronized void handshakeDone() {
        roll(nanoTime.getAsLong());
        doneInWindow++;
    }

    /** A connection is refused: its slot. */
    synchronized Slot book() {
        long now = nanoTime.getAsLong();
        roll(now);
        refusedInWindow = true;
        long slot = Math.max(nextSlot, now + MIN_WAIT_MS * 1_000_000);
        long latest = now + MAX_WAIT_MS * 1_000_000;
        if (slot > latest) {
            slot = latest;
        } else {
            nextSlot = slot + (long) (SECOND / rate);
        }
        return new Slot((slot - now) / 1_000_000, SPREAD_MS);
    }

    /** Handshakes per second, as measured. */
    synchronized double rate() {
        return rate;
    }

    /** Closes the measuring window once a second has passed. */
    private void roll(long now) {
        long elapsed = now - windowStart;
        if (elapsed < SECOND) {
            return;
        }
        double measured = doneInWindow * (double) SECOND / elapsed;
        if (refusedInWindow) {
            rate = Math.max(MIN_RATE, rate / 2 + measured / 2);
        } else if (measured > rate) {
            rate = measured;
        }
        windowStart = now;
        doneInWindow = 0;
        refusedInWindow = false;
    }
}

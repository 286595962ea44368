package io.firstline.console.ingest;

import java.util.function.LongSupplier;

/**
 * Books when agents refused as overloaded come back, so that they return at
 * the rate this console completes TLS handshakes instead of all together.
 * The rate is measured: handshakes completed per second while connections
 * were waiting or being refused (the console was saturated, so that is what
 * it can serve), smoothed; in a quiet second it may only rise. Each refusal takes
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
    /**
     * No slot is later than this. A console that just started serves far fewer
     * handshakes a second than it will once warm, and agents told to come back
     * at that first rate would find it idle: an agent that comes back too soon
     * is refused again, at the cost of a few bytes, and booked at the rate of
     * then. 20 s: at 30 s, 8,704 agents refused in the first seconds of a
     * console restarted under 10,000 came back as a stream of 290 a second
     * to a console that served 550, and the last after 35 s
     * (docs/benchmarks.md, "Restart").
     */
    static final long MAX_WAIT_MS = 20_000;
    private static final long SECOND = 1_000_000_000L;

    /** When to come back: after {@code retryAfterMs}, plus a random 0 to {@code spreadMs}. */
    record Slot(long retryAfterMs, long spreadMs) {
    }

    private final LongSupplier nanoTime;
    private double rate = INITIAL_RATE;
    private long windowStart;
    private int doneInWindow;
    private boolean saturatedInWindow;
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

    /** A connection had to wait for a handshake slot: the console is saturated, so this second's rate is what it serves. */
    synchronized void saturated() {
        roll(nanoTime.getAsLong());
        saturatedInWindow = true;
    }

    /**
     * A connection is refused: its slot, after the {@code ahead} connections
     * waiting for one now (served at least at the assumed rate). Past
     * {@link #MAX_WAIT_MS} there is no slot to book: the agent comes back at
     * a random moment within it, so an overbooked console sees an even stream
     * rather than everyone at the cap.
     */
    synchronized Slot book(int ahead) {
        long now = nanoTime.getAsLong();
        roll(now);
        saturatedInWindow = true;
        long behindWaiting = now + (long) (ahead * (SECOND / Math.max(rate, INITIAL_RATE)));
        long slot = Math.max(Math.max(nextSlot, now + MIN_WAIT_MS * 1_000_000), behindWaiting);
        if (slot > now + (MAX_WAIT_MS - SPREAD_MS) * 1_000_000) {
            return new Slot(MIN_WAIT_MS, MAX_WAIT_MS - MIN_WAIT_MS);
        }
        nextSlot = slot + (long) (SECOND / rate);
        return new Slot((slot - now) / 1_000_000, SPREAD_MS);
    }

    /**
     * How many connections may wait for a handshake slot for {@code nanos}:
     * what the measured rate serves in that time, and never fewer than the
     * assumed rate would (a cold console's first rate undersells it, and a
     * connection turned away costs its agent the session ticket it offered).
     */
    synchronized int servedWithin(long nanos) {
        return (int) Math.max(1, Math.min(100_000, Math.max(rate, INITIAL_RATE) * nanos / SECOND));
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
        if (saturatedInWindow) {
            rate = Math.max(MIN_RATE, rate / 2 + measured / 2);
        } else if (measured > rate) {
            rate = measured;
        }
        windowStart = now;
        doneInWindow = 0;
        saturatedInWindow = false;
    }
}

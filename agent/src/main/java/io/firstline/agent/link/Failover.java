package io.firstline.agent.link;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Which console address the link tries next, and when: one rule for every
 * way an attempt or a connection ends.
 *
 * <ul>
 *   <li>A refusal that says when to come back ({@code retry_after_ms},
 *       {@code retry_spread_ms}: OVERLOADED before TLS, SHUTTING_DOWN,
 *       STORE_UNAVAILABLE) speaks for the node that sent it. That address is
 *       not tried again before the time it asked for ({@link Backoff#hinted}),
 *       and the link moves on to the next address at once: another node can
 *       take the agent now (its own admission control books a crowd into
 *       return slots).</li>
 *   <li>Any other failed attempt (no TCP, TLS failed, refused for good): the
 *       next address, after the backoff ({@link Backoff#next}).</li>
 *   <li>An established connection lost without a word: the same address
 *       again after a random 0 to 3 s ({@link Backoff#afterLoss}).</li>
 * </ul>
 *
 * <p>Whatever the case, an address is never tried before the time its node
 * asked for, so with one address a refusal's hint is simply obeyed, and when
 * every node has refused the link waits for the first of them that is due.
 * Pure logic with an injected clock; the link calls it on its event loop.
 */
final class Failover {
    /** The next attempt: the address's index in the list, and how long to wait before it. */
    record Next(int index, Duration delay) {
    }

    private static final long NONE = Long.MIN_VALUE;

    private final int addresses;
    private final Backoff backoff;
    private final LongSupplier nanoTime;
    /** Per address: the nanoTime before which its node asked not to be tried again, or {@link #NONE}. */
    private final long[] notBefore;
    private int current;

    Failover(int addresses, Backoff backoff, LongSupplier nanoTime) {
        if (addresses < 1) {
            throw new IllegalArgumentException("at least one console address is needed");
        }
        this.addresses = addresses;
        this.backoff = backoff;
        this.nanoTime = nanoTime;
        this.notBefore = new long[addresses];
        Arrays.fill(notBefore, NONE);
    }

    /** The address being tried or connected to. */
    int current() {
        return current;
    }

    /** An attempt ended before a console welcomed the agent, without a time to come back. */
    Next attemptFailed() {
        return moveOn(backoff.next());
    }

    /**
     * The console at the current address refused (before or after its
     * Welcome) and said when to come back: {@code afterMs} plus a random
     * part of {@code spreadMs}. That is kept for this address; the next one
     * is tried at once, unless it too asked for later.
     */
    Next refused(long afterMs, long spreadMs) {
        notBefore[current] = nanoTime.getAsLong() + backoff.hinted(afterMs, spreadMs).toNanos();
        return moveOn(Duration.ZERO);
    }

    /** An established connection was lost without a refusal: the same address after a short random wait. */
    Next lost() {
        return new Next(current, atLeast(backoff.afterLoss(), current));
    }

    /** A console welcomed the agent. */
    void welcomed() {
        backoff.reset();
        notBefore[current] = NONE;
    }

    private Next moveOn(Duration base) {
        current = (current + 1) % addresses;
        return new Next(current, atLeast(base, current));
    }

    /** {@code base}, or longer if the node at {@code index} asked not to be tried before a later time. */
    private Duration atLeast(Duration base, int index) {
        if (notBefore[index] == NONE) {
            return base;
        }
        long left = notBefore[index] - nanoTime.getAsLong();
        return left > base.toNanos() ? Duration.ofNanos(left) : base;
    }
}

package io.firstline.console.ingest;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Caps the TLS handshakes in progress on the agent port. When many agents
 * come back at once (a console restart), accepting them all would queue more
 * handshake work than the CPU finishes within the handshake timeout: most
 * would time out after costing their share, and all would retry.
 *
 * <p>Past the cap a new connection first waits, unread, in a first-come
 * queue: its ClientHello stays in the socket until a slot frees, then its
 * handshake starts. Waiting is what keeps a returning agent's TLS session:
 * an agent offers its session ticket in every ClientHello and does not get
 * it back when the attempt fails, so a refused attempt turns its next
 * connection into a full handshake (the JDK's client holds one ticket).
 * Only a connection that would wait longer than the admission wait (the
 * queue holds what the measured handshake rate serves in that time) gets a
 * plain {@code Refuse(OVERLOADED)} before any crypto ({@link OverloadRefusal})
 * with a return slot from {@link ReturnSlots}. So the console admits the
 * fleet at the rate it can serve and never abandons a handshake it started.
 *
 * <p>Thread-safe: every event loop admits, and a slot frees on whichever
 * loop a handshake ends; a waiting connection's handshake is started on its
 * own loop.
 */
final class HandshakeLimiter {
    private final int max;
    private final long maxWaitNanos;
    private final IntSupplier queueLimit;
    private final LongSupplier nanoTime;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int inProgress;
    private boolean closed;

    /** A connection waiting for a slot, and what to do with it when its turn comes (or its wait runs out). */
    private record Waiting(Channel channel, long since, Consumer<Channel> start, Consumer<Channel> refuse) {
        /** Runs {@code action} on the connection's own event loop, reading again. */
        Runnable turn(Consumer<Channel> action) {
            return () -> channel.eventLoop().execute(() -> {
                action.accept(channel);
                channel.config().setAutoRead(true);
            });
        }
    }

    /** No waiting: past the cap, connections are refused at once. */
    HandshakeLimiter(int max) {
        this(max, 0, () -> 0, System::nanoTime);
    }

    /**
     * @param maxWaitNanos how long a connection may wait for a slot (0: refused at once past the cap)
     * @param queueLimit   how many may wait at most, asked at each arrival (what the measured rate serves within the wait)
     */
    HandshakeLimiter(int max, long maxWaitNanos, IntSupplier queueLimit, LongSupplier nanoTime) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        this.max = max;
        this.maxWaitNanos = maxWaitNanos;
        this.queueLimit = queueLimit;
        this.nanoTime = nanoTime;
    }

    /**
     * Admits a new connection: {@code start} runs now if a slot is free (the
     * slot is then the caller's, to {@link #hold} or {@link #release}); else the connection waits,
     * unread, and {@code start} runs on its event loop when a slot frees, or
     * {@code refuse} does once it has waited too long; when the queue is full
     * {@code refuse} runs now.
     *
     * @return whether the connection waits
     */
    boolean admit(Channel ch, Consumer<Channel> start, Consumer<Channel> refuse) {
        boolean now;
        synchronized (this) {
            if (inProgress < max) {
                inProgress++;
                now = true;
            } else if (!closed && maxWaitNanos > 0 && waiting.size() < queueLimit.getAsInt()) {
                ch.config().setAutoRead(false);
                waiting.add(new Waiting(ch, nanoTime.getAsLong(), start, refuse));
                return true;
            } else {
                now = false;
            }
        }
        (now ? start : refuse).accept(ch);
        return false;
    }

    /**
     * Gives back a slot taken by {@link #admit}, and
     * hands it to the first connection still waiting; those that waited past
     * the admission wait on the way are refused.
     */
    void release() {
        List<Runnable> turns = new ArrayList<>(1);
        synchronized (this) {
            inProgress--;
            long now = nanoTime.getAsLong();
            while (inProgress < max && !waiting.isEmpty()) {
                Waiting w = waiting.poll();
                if (!w.channel().isOpen()) {
                    continue;
                }
                boolean expired = now - w.since() > maxWaitNanos;
                if (!expired) {
                    inProgress++;
                }
                turns.add(w.turn(expired ? w.refuse() : w.start()));
            }
        }
        turns.forEach(Runnable::run);
    }

    /**
     * Keeps the slot {@code ch} took until {@code handshake} completes
     * (either way) or the channel closes, whichever comes first.
     */
    void hold(Channel ch, Future<?> handshake) {
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                release();
            }
        };
        handshake.addListener(f -> release.run());
        ch.closeFuture().addListener(f -> release.run());
    }

    /** The console stops: connections still waiting are closed, and none waits from now on. */
    void close() {
        Waiting[] left;
        synchronized (this) {
            closed = true;
            left = waiting.toArray(Waiting[]::new);
            waiting.clear();
        }
        for (Waiting w : left) {
            w.channel().close();
        }
    }

    synchronized int inProgress() {
        return inProgress;
    }

    /** Connections waiting for a handshake slot. */
    synchronized int waiting() {
        return waiting.size();
    }
}

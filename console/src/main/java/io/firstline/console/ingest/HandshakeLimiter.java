package io.firstline.console.ingest;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the TLS handshakes in progress on the agent port. When many agents
 * come back at once (a console restart), accepting them all would queue more
 * handshake work than the CPU finishes within the handshake timeout: most
 * would time out after costing their share, and all would retry. Past the
 * cap a new connection gets a plain {@code Refuse(OVERLOADED)} before any
 * crypto ({@link OverloadRefusal}), with a return slot from
 * {@link ReturnSlots}, so the console admits the fleet at the rate it can
 * serve and never abandons a handshake it started.
 */
final class HandshakeLimiter {
    private final int max;
    private final AtomicInteger inProgress = new AtomicInteger();

    HandshakeLimiter(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        this.max = max;
    }

    /** Takes a slot if fewer than the cap are handshaking; the caller then {@link #hold}s it (or {@link #release}s it). */
    boolean tryAcquire() {
        if (inProgress.incrementAndGet() > max) {
            inProgress.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a slot taken by {@link #tryAcquire} that no handshake uses. */
    void release() {
        inProgress.decrementAndGet();
    }

    /**
     * Keeps the slot {@code ch} took until {@code handshake} completes
     * (either way) or the channel closes, whichever comes first.
     */
    void hold(Channel ch, Future<?> handshake) {
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                inProgress.decrementAndGet();
            }
        };
        handshake.addListener(f -> release.run());
        ch.closeFuture().addListener(f -> release.run());
    }

    int inProgress() {
        return inProgress.get();
    }
}

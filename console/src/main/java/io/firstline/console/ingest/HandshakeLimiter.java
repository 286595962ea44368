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
 * cap a new connection is closed at once, before any crypto, counted as
 * {@code reason="overloaded"}; its agent backs off and returns a little
 * later, so the console admits the fleet at the rate it can serve.
 */
final class HandshakeLimiter {
    /** Default cap: a few seconds of handshake work on a small machine, well inside the 10 s timeout. */
    static final int DEFAULT_MAX = 128;

    private final int max;
    private final AtomicInteger inProgress = new AtomicInteger();

    HandshakeLimiter(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        this.max = max;
    }

    /**
     * Admits {@code ch} if fewer than the cap are handshaking; its slot frees
     * when {@code handshake} completes (either way) or the channel closes.
     */
    boolean admit(Channel ch, Future<?> handshake) {
        if (inProgress.incrementAndGet() > max) {
            inProgress.decrementAndGet();
            return false;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                inProgress.decrementAndGet();
            }
        };
        handshake.addListener(f -> release.run());
        ch.closeFuture().addListener(f -> release.run());
        return true;
    }

    int inProgress() {
        return inProgress.get();
    }
}

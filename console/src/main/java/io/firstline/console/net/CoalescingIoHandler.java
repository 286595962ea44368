package io.firstline.console.net;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * An event loop that looks at its sockets at most once per {@code window}:
 * after a pass over the ready sockets it waits out the rest of the window
 * before it asks the kernel again, so that what arrived meanwhile is handled
 * in one pass instead of one wake-up each. A task handed to the loop (a
 * commit that finished on another thread, a write from elsewhere) ends the
 * wait at once, and so does the loop's next scheduled task (timeouts); only
 * socket readiness waits, by at most the window.
 *
 * <p>An agent connection sends one small message per sample interval, so
 * without this each sample costs the loop a wake-up of its own (an
 * {@code epoll_wait} that blocks and a context switch in and out), which on
 * a small virtual machine cost as much as the TLS and the message together
 * (docs/benchmarks.md, "Capacity"). The same idea as interrupt coalescing
 * on a network card, or a producer's linger in a message queue: a bounded
 * delay, here {@code agent.ioCoalescing} (docs/operations.md), for fewer
 * wake-ups under load; a loop with nothing to do still sleeps in the kernel
 * until something arrives, so an idle console pays nothing.
 */
public final class CoalescingIoHandler implements IoHandler {
    private final IoHandler delegate;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private volatile Thread loop;
    /** Set by {@link #wakeup()}: a task arrived, stop waiting. */
    private volatile boolean woken;
    private long lastPass;

    CoalescingIoHandler(IoHandler delegate, long windowNanos, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
        this.lastPass = nanoTime.getAsLong() - windowNanos;
    }

    /** Wraps {@code factory}'s handlers; a zero window returns {@code factory} itself. */
    public static IoHandlerFactory factory(IoHandlerFactory factory, Duration window) {
        if (window.isZero()) {
            return factory;
        }
        long nanos = window.toNanos();
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(io.netty.util.concurrent.ThreadAwareExecutor executor) {
                return new CoalescingIoHandler(factory.newHandler(executor), nanos, System::nanoTime);
            }

            @Override
            public boolean isChangingThreadSupported() {
                return factory.isChangingThreadSupported();
            }
        };
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        loop = Thread.currentThread();
        // Cleared before asking whether the loop may block: a task added after this sets it again and ends the wait.
        woken = false;
        if (context.canBlock()) {
            long now = nanoTime.getAsLong();
            long wait = Math.min(lastPass + windowNanos - now, context.delayNanos(now));
            while (wait > 0 && !woken) {
                LockSupport.parkNanos(this, wait);
                now = nanoTime.getAsLong();
                wait = Math.min(lastPass + windowNanos - now, context.delayNanos(now));
            }
        }
        int handled = delegate.run(context);
        lastPass = nanoTime.getAsLong();
        return handled;
    }

    @Override
    public void wakeup() {
        woken = true;
        Thread t = loop;
        if (t != null) {
            LockSupport.unpark(t);
        }
        delegate.wakeup();
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }
}

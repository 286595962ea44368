package io.firstline.console.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The coalescing event loop on a recording stand-in for the socket handler
 * (Netty's own handlers need a real event loop around them; the real ones
 * run under every console test, which use the default coalescing). Waits
 * are real; windows are long (seconds) where the test shows a wait is cut
 * short, so a slow machine cannot make it pass by accident.
 */
class CoalescingIoHandlerTest {
    /** Counts passes and wake-ups; its run never blocks. */
    private static final class Recording implements IoHandler {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger wakeups = new AtomicInteger();

        @Override
        public int run(IoHandlerContext context) {
            runs.incrementAndGet();
            return 1;
        }

        @Override
        public IoRegistration register(IoHandle handle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void wakeup() {
            wakeups.incrementAndGet();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return true;
        }
    }

    /** A loop's state: whether it may block (no task waiting), and its next scheduled task due in {@code delayNanos}. */
    private static IoHandlerContext context(boolean canBlock, long delayNanos) {
        long deadline = System.nanoTime() + delayNanos;
        return new IoHandlerContext() {
            @Override
            public boolean canBlock() {
                return canBlock;
            }

            @Override
            public long delayNanos(long currentTimeNanos) {
                return Math.max(0, deadline - currentTimeNanos);
            }

            @Override
            public long deadlineNanos() {
                return deadline;
            }
        };
    }

    private static long millis(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Test
    void aLoopThatMayBlockWaitsOutTheWindowSinceItsLastPassBeforeItLooksAtItsSockets() {
        Recording sockets = new Recording();
        CoalescingIoHandler h = new CoalescingIoHandler(sockets, TimeUnit.MILLISECONDS.toNanos(300), System::nanoTime);
        IoHandlerContext idle = context(true, TimeUnit.SECONDS.toNanos(1));
        assertTrue(millis(() -> h.run(idle)) < 250, "the first pass does not wait");
        long waited = millis(() -> h.run(idle));
        assertTrue(waited >= 250, "the second pass waited " + waited + " ms, not the rest of the 300 ms window");
        assertEquals(2, sockets.runs.get());
    }

    @Test
    void aLoopWithTasksOrADueTimerDoesNotWait() {
        Recording sockets = new Recording();
        CoalescingIoHandler h = new CoalescingIoHandler(sockets, TimeUnit.SECONDS.toNanos(5), System::nanoTime);
        h.run(context(true, TimeUnit.SECONDS.toNanos(10)));
        assertTrue(millis(() -> h.run(context(false, TimeUnit.SECONDS.toNanos(10)))) < 2_000, "tasks waiting: no wait");
        long waited = millis(() -> h.run(context(true, TimeUnit.MILLISECONDS.toNanos(100))));
        assertTrue(waited < 2_000, "a scheduled task due in 100 ms bounds the wait, but it took " + waited + " ms");
        assertEquals(3, sockets.runs.get());
    }

    @Test
    void aTaskHandedToTheLoopEndsTheWaitAtOnce() throws Exception {
        Recording sockets = new Recording();
        CoalescingIoHandler h = new CoalescingIoHandler(sockets, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
        IoHandlerContext idle = context(true, TimeUnit.SECONDS.toNanos(60));
        h.run(idle);
        CountDownLatch waiting = new CountDownLatch(1);
        Thread loop = new Thread(() -> {
            waiting.countDown();
            h.run(idle);
        });
        long t0 = System.nanoTime();
        loop.start();
        waiting.await();
        Thread.sleep(100);
        h.wakeup();
        loop.join(5_000);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(!loop.isAlive() && took < 5_000, "the wake-up ended a 10 s wait after " + took + " ms");
        assertEquals(1, sockets.wakeups.get(), "the socket handler is woken too (its select may be blocking)");
        assertEquals(2, sockets.runs.get());
    }

    @Test
    void noWindowIsTheTransportsOwnHandler() {
        IoHandlerFactory nio = NioIoHandler.newFactory();
        assertSame(nio, CoalescingIoHandler.factory(nio, Duration.ZERO));
    }
}

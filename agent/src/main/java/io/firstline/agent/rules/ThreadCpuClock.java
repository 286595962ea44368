package io.firstline.agent.rules;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * CPU time of the calling thread, in nanoseconds, from
 * {@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)} — what the JDK's
 * {@code ThreadMXBean.getCurrentThreadCpuTime()} reads, without loading the
 * {@code java.management} module (its classes, native library and MBeans),
 * which the agent's runtime leaves out. {@code -1} where the call is not
 * available (not Linux, no JNA), so callers fall back to wall time.
 */
final class ThreadCpuClock {
    private static final int CLOCK_THREAD_CPUTIME_ID = 3;

    /** {@code int clock_gettime(clockid_t, struct timespec *)}; a timespec is two longs on 64-bit Linux. */
    private interface Clocks extends Library {
        int clock_gettime(int clockId, long[] timespec);
    }

    private static final Clocks CLOCKS = load();

    private ThreadCpuClock() {
    }

    private static Clocks load() {
        if (!"Linux".equals(System.getProperty("os.name")) || !"64".equals(System.getProperty("sun.arch.data.model"))) {
            return null;
        }
        try {
            return Native.load("c", Clocks.class);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** This thread's CPU time so far in ns, or -1 if it cannot be read here. */
    static long nanos() {
        if (CLOCKS == null) {
            return -1;
        }
        long[] ts = new long[2];
        return CLOCKS.clock_gettime(CLOCK_THREAD_CPUTIME_ID, ts) == 0 ? ts[0] * 1_000_000_000L + ts[1] : -1;
    }
}

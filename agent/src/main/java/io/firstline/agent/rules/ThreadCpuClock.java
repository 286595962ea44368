package io.firstline.agent.rules;

import com.sun.jna.Native;

/**
 * CPU time of the calling thread, in nanoseconds, from
 * {@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)} — what the JDK's
 * {@code ThreadMXBean.getCurrentThreadCpuTime()} reads, without loading the
 * {@code java.management} module (its classes, native library and MBeans),
 * which the agent's runtime leaves out. {@code -1} where the call is not
 * available (not 64-bit Linux, no JNA), so callers fall back to wall time.
 *
 * <p>A JNA direct mapping (a {@code native} method bound by
 * {@link Native#register}), not an interface proxy: the fast checks call it
 * twice per collector run, several times a second, and a proxied call costs
 * reflection on every call.
 */
final class ThreadCpuClock {
    private static final int CLOCK_THREAD_CPUTIME_ID = 3;
    private static final boolean AVAILABLE = register();

    private ThreadCpuClock() {
    }

    private static boolean register() {
        if (!"Linux".equals(System.getProperty("os.name")) || !"64".equals(System.getProperty("sun.arch.data.model"))) {
            return false;
        }
        try {
            Native.register(ThreadCpuClock.class, "c");
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** {@code int clock_gettime(clockid_t, struct timespec *)}; a timespec is two longs on 64-bit Linux. */
    private static native int clock_gettime(int clockId, long[] timespec);

    /** This thread's CPU time so far in ns, or -1 if it cannot be read here. */
    static long nanos() {
        if (!AVAILABLE) {
            return -1;
        }
        long[] ts = new long[2];
        return clock_gettime(CLOCK_THREAD_CPUTIME_ID, ts) == 0 ? ts[0] * 1_000_000_000L + ts[1] : -1;
    }
}

package io.firstline.agent.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/** The thread CPU clock agrees with the JDK's ThreadMXBean, which reads the same kernel clock. */
class ThreadCpuClockTest {

    @Test
    void countsThisThreadsCpuTimeLikeTheJdk() {
        ThreadMXBean jdk = ManagementFactory.getThreadMXBean();
        long ours0 = ThreadCpuClock.nanos();
        long jdk0 = jdk.getCurrentThreadCpuTime();
        assertTrue(ours0 > 0, "read on Linux: " + ours0);
        long spin = 0;
        while (jdk.getCurrentThreadCpuTime() - jdk0 < 30_000_000L) {
            spin++;
        }
        long ours = ThreadCpuClock.nanos() - ours0;
        long theirs = jdk.getCurrentThreadCpuTime() - jdk0;
        assertTrue(spin > 0);
        assertTrue(ours >= 30_000_000L, "at least the 30 ms spun: " + ours);
        assertTrue(Math.abs(ours - theirs) < 10_000_000L, "ours " + ours + " ns, the JDK's " + theirs + " ns");
    }

    @Test
    void doesNotCountTimeAsleep() throws InterruptedException {
        long before = ThreadCpuClock.nanos();
        Thread.sleep(200);
        assertTrue(ThreadCpuClock.nanos() - before < 50_000_000L, "sleeping costs no CPU");
    }
}

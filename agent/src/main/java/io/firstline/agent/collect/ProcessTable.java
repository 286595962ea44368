package io.firstline.agent.collect;

import java.util.List;

/**
 * Where {@link ProcessCollector} lists processes. Both readings of one run
 * (the list and the clock) are in the same unit, so CPU shares need no
 * knowledge of the kernel's tick rate.
 */
interface ProcessTable {
    /** One process: its CPU time so far, in the same unit as {@link #cpuClock()}. */
    record Proc(int pid, String name, boolean zombie, long cpuTime, int threads, long rssBytes) {
    }

    List<Proc> list() throws Exception;

    /** CPU time the whole machine had so far (all cores), in the unit of {@link Proc#cpuTime()}. */
    long cpuClock() throws Exception;

    /** The owner of a process, or "" if it cannot be read (it may have ended). */
    String user(int pid);
}

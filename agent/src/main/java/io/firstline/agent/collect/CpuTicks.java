package io.firstline.agent.collect;

import oshi.hardware.CentralProcessor.TickType;

/**
 * Shares of CPU time between two readings of OSHI's tick counters (the
 * {@code /proc/stat} columns on Linux). Pure, so it is tested with fixtures.
 */
record CpuTicks(double user, double system, double iowait, double steal, double idle) {

    /** Usage as node_exporter and top count it: everything but idle and iowait. */
    double usage() {
        return Math.max(0, 1 - idle - iowait);
    }

    static CpuTicks between(long[] prev, long[] now) {
        long[] d = new long[TickType.values().length];
        long total = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.max(0, now[i] - prev[i]);
            total += d[i];
        }
        if (total == 0) {
            return new CpuTicks(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double t = total;
        return new CpuTicks(
                (d[TickType.USER.getIndex()] + d[TickType.NICE.getIndex()]) / t,
                (d[TickType.SYSTEM.getIndex()] + d[TickType.IRQ.getIndex()] + d[TickType.SOFTIRQ.getIndex()]) / t,
                d[TickType.IOWAIT.getIndex()] / t,
                d[TickType.STEAL.getIndex()] / t,
                d[TickType.IDLE.getIndex()] / t);
    }
}

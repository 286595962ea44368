package io.firstline.console.fleet;

import java.util.List;

/**
 * One hour of an agent's headline metrics for the host page's charts, kept in
 * primitive ring buffers: a slot per {@code stepSeconds} holds the newest
 * sample of that step (CPU, memory, fullest file system, network in and out).
 * At the default 5 s step that is 720 slots of 24 bytes, about 17 KiB per
 * agent, allocated once.
 *
 * <p>Not thread-safe; {@link AgentRecord} guards it with its own lock.
 */
final class MetricHistory {
    /** The series kept, in the order of {@link HistoryView#series()}. */
    static final List<String> SERIES = List.of("cpu", "memory", "disk", "netRx", "netTx");

    private final int stepSeconds;
    private final int[] times;
    private final float[][] series;
    private long base = Long.MIN_VALUE;
    private int head;
    private int size;

    MetricHistory(int stepSeconds, int slots) {
        if (stepSeconds < 1 || slots < 2) {
            throw new IllegalArgumentException("step " + stepSeconds + " s, slots " + slots);
        }
        this.stepSeconds = stepSeconds;
        this.times = new int[slots];
        this.series = new float[SERIES.size()][slots];
    }

    /** History covering one hour at the given step (at least 1 s). */
    static MetricHistory oneHour(int stepSeconds) {
        return new MetricHistory(stepSeconds, (3600 + stepSeconds - 1) / stepSeconds);
    }

    /**
     * Records the values of a sample taken at {@code epochSecond}; a sample in
     * the same step as the newest slot replaces it, an older one is ignored.
     */
    void record(long epochSecond, float cpu, float memory, float disk, float netRx, float netTx) {
        long step = epochSecond - epochSecond % stepSeconds;
        if (base == Long.MIN_VALUE) {
            base = step;
        }
        if (step < base) {
            return;
        }
        int t = (int) Math.min(Integer.MAX_VALUE, step - base);
        int slot;
        if (size > 0) {
            int last = (head - 1 + times.length) % times.length;
            if (t < times[last]) {
                return;
            }
            if (t == times[last]) {
                slot = last;
            } else {
                slot = append();
            }
        } else {
            slot = append();
        }
        times[slot] = t;
        series[0][slot] = cpu;
        series[1][slot] = memory;
        series[2][slot] = disk;
        series[3][slot] = netRx;
        series[4][slot] = netTx;
    }

    private int append() {
        int slot = head;
        head = (head + 1) % times.length;
        size = Math.min(size + 1, times.length);
        return slot;
    }

    /** A copy, oldest first, of the slots not older than one hour before {@code nowEpochSecond}. */
    HistoryView view(long nowEpochSecond) {
        long from = nowEpochSecond - 3600 - base;
        int start = (head - size + times.length) % times.length;
        int skip = 0;
        while (skip < size && times[(start + skip) % times.length] < from) {
            skip++;
        }
        int n = size - skip;
        long[] ts = new long[n];
        double[][] vs = new double[series.length][n];
        for (int i = 0; i < n; i++) {
            int slot = (start + skip + i) % times.length;
            ts[i] = base + times[slot];
            for (int s = 0; s < series.length; s++) {
                float v = series[s][slot];
                vs[s][i] = Float.isNaN(v) ? Double.NaN : v;
            }
        }
        return new HistoryView(stepSeconds, SERIES, ts, vs);
    }
}

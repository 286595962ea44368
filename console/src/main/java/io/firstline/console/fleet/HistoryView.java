package io.firstline.console.fleet;

import java.util.Arrays;
import java.util.List;

/**
 * A copy of an agent's recent history: time stamps in epoch seconds, oldest
 * first, and one array of values per name in {@code names} (NaN where a value
 * was missing).
 */
public record HistoryView(int stepSeconds, List<String> names, long[] times, double[][] series) {
    public static final HistoryView EMPTY = new HistoryView(1, MetricHistory.SERIES, new long[0],
            new double[MetricHistory.SERIES.size()][0]);

    @Override
    public boolean equals(Object o) {
        return o instanceof HistoryView v && v.stepSeconds == stepSeconds && v.names.equals(names)
                && Arrays.equals(v.times, times) && Arrays.deepEquals(v.series, series);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(times);
    }

    @Override
    public String toString() {
        return "HistoryView[" + times.length + " slots of " + stepSeconds + " s]";
    }
}

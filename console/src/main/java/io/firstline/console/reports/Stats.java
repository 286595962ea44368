package io.firstline.console.reports;

import java.util.Arrays;
import java.util.List;

/** Mean and nearest-rank percentiles of durations in seconds, as the reports define them (docs/reports.md). */
final class Stats {
    private Stats() {
    }

    /** The mean, or null for no values. */
    static Double mean(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return round(sum / values.size());
    }

    /**
     * The nearest-rank percentile {@code p} (0 < p <= 100): the smallest value
     * that at least p % of the values are at or below; null for no values.
     */
    static Double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return round(v[Math.max(0, Math.min(v.length, rank) - 1)]);
    }

    /** A share, or null when there is nothing to divide by. */
    static Double ratio(long part, long whole) {
        return whole == 0 ? null : round((double) part / whole);
    }

    /** Three decimals: enough for seconds and shares, and stable in JSON and CSV. */
    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}

package io.firstline.agent.encode;

/**
 * How many decimals each metric keeps on the wire, from the unit its name
 * ends in. Ratios keep 4 (0.01 %), byte and bit rates none, other rates 2,
 * milliseconds 1. A metric of any other unit (bytes, counts, seconds, pids)
 * travels as an integer when its value is whole and as a double otherwise, so
 * nothing is rounded that the name does not promise.
 */
final class Precision {
    /** No rounding rule: whole values go as integers, others as doubles. */
    static final int EXACT = -1;

    private Precision() {
    }

    static int decimals(String metric) {
        if (metric.endsWith("_ratio")) {
            return 4;
        }
        if (metric.endsWith("_bytes_per_second") || metric.endsWith("_bits_per_second")) {
            return 0;
        }
        if (metric.endsWith("_per_second") || metric.startsWith("cpu.load")) {
            return 2;
        }
        if (metric.endsWith("_ms") || metric.endsWith("_celsius")) {
            return 1;
        }
        if (metric.endsWith("_volts")) {
            return 3;
        }
        return EXACT;
    }

    /** The decimals written into the series' definition. */
    static int declared(String metric) {
        return Math.max(0, decimals(metric));
    }

    /**
     * {@code value} as an integer number of 10^-decimals units, or null when
     * it must travel as a double (a non-whole value of an exact metric, or
     * one too large for a double to hold exactly once scaled).
     */
    static Long scaled(String metric, double value) {
        int d = decimals(metric);
        double scaled = d <= 0 ? value : value * POW10[d];
        if (d == EXACT && scaled != Math.rint(scaled)) {
            return null;
        }
        double r = Math.rint(scaled);
        if (Math.abs(r) >= 0x1p53) {
            return null;
        }
        return (long) r;
    }

    private static final double[] POW10 = {1, 10, 100, 1000, 10_000};
}

package io.firstline.agent.collect;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns monotonically growing counters into per-second rates between two
 * cycles. The first sight of a counter, and a counter that went backwards
 * (reset, wrapped, device replaced), give NaN, which writers drop.
 */
final class Rates {
    private record Point(long value, long nanos) {
    }

    private final Map<String, Point> last = new HashMap<>();

    double perSecond(String key, long counter, long nowNanos) {
        Point prev = last.put(key, new Point(counter, nowNanos));
        return rate(prev == null ? -1 : prev.value, prev == null ? 0 : prev.nanos, counter, nowNanos);
    }

    /** Forgets counters not seen since the last call to {@link #retainOnly}. */
    void retainOnly(Set<String> keys) {
        last.keySet().retainAll(keys);
    }

    static double rate(long prevValue, long prevNanos, long value, long nowNanos) {
        long dt = nowNanos - prevNanos;
        if (prevValue < 0 || value < prevValue || dt <= 0) {
            return Double.NaN;
        }
        return (value - prevValue) * 1e9 / dt;
    }
}

package io.firstline.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * A series' recent history and its least-squares line, used to predict where
 * the value will be {@code horizon} from now (e.g. "free bytes in 24 h").
 */
final class Trend {
    /** Fewer points than this, or a span shorter than a quarter window, predict nothing. */
    static final int MIN_POINTS = 5;

    private record Point(long t, double v) {
    }

    private final ArrayDeque<Point> points = new ArrayDeque<>();

    void add(Instant at, double value, Duration window) {
        points.addLast(new Point(at.toEpochMilli(), value));
        long oldest = at.toEpochMilli() - window.toMillis();
        while (!points.isEmpty() && points.peekFirst().t < oldest) {
            points.removeFirst();
        }
    }

    /** The value predicted at {@code now + horizon}, or NaN without enough history. */
    double predict(Instant now, Duration horizon, Duration window) {
        if (points.size() < MIN_POINTS || points.peekLast().t - points.peekFirst().t < window.toMillis() / 4) {
            return Double.NaN;
        }
        long t0 = points.peekFirst().t;
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Point p : points) {
            double x = (p.t - t0) / 1000.0;
            sx += x;
            sy += p.v;
            sxx += x * x;
            sxy += x * p.v;
        }
        double denominator = n * sxx - sx * sx;
        if (denominator == 0) {
            return Double.NaN;
        }
        double slope = (n * sxy - sx * sy) / denominator;
        double intercept = (sy - slope * sx) / n;
        double at = (now.toEpochMilli() + horizon.toMillis() - t0) / 1000.0;
        return intercept + slope * at;
    }
}

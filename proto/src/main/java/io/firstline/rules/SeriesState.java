package io.firstline.rules;

import java.time.Instant;
import java.util.ArrayDeque;

/** The evaluator's memory of one rule on one resource. Guarded by the evaluator. */
final class SeriesState {
    enum Phase { OK, PENDING, FIRING, RECOVERING }

    Phase phase = Phase.OK;
    /** When the current PENDING or RECOVERING phase began. */
    Instant since;
    Instant firingSince;
    double lastValue = Double.NaN;
    Instant lastSeen;
    boolean seenOk;
    /** When this series was raised recently, oldest first (flap damping). */
    final ArrayDeque<Instant> raises = new ArrayDeque<>();
    /** Event rules: events seen since the fault was raised. */
    int occurrences;
    /** Trend rules only. */
    Trend trend;

    boolean active() {
        return phase == Phase.FIRING || phase == Phase.RECOVERING;
    }
}

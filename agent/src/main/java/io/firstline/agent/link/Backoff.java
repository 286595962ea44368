package io.firstline.agent.link;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for reconnecting: 1 s, then ×1.6 per
 * failure, each delay spread ±20 % at random so that agents that lost the same
 * console do not all return at once, capped at 120 s.
 */
public final class Backoff {
    public static final Duration INITIAL = Duration.ofSeconds(1);
    public static final Duration MAX = Duration.ofSeconds(120);
    static final double FACTOR = 1.6;
    static final double JITTER = 0.2;

    private final RandomGenerator random;
    private final long initialMs;
    private final long maxMs;
    private double currentMs;

    public Backoff(RandomGenerator random) {
        this(random, INITIAL, MAX);
    }

    public Backoff(RandomGenerator random, Duration initial, Duration max) {
        this.random = random;
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.currentMs = initialMs;
    }

    /** The delay before the next attempt; each call grows the next one. */
    public Duration next() {
        double base = currentMs;
        currentMs = Math.min(maxMs, currentMs * FACTOR);
        double jittered = base * (1 - JITTER + 2 * JITTER * random.nextDouble());
        return Duration.ofMillis(Math.round(Math.min(jittered, maxMs * (1 + JITTER))));
    }

    /** Called once a connection is fully established. */
    public void reset() {
        currentMs = initialMs;
    }
}

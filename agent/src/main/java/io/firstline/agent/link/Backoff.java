package io.firstline.agent.link;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to try the console again. After a failed attempt: exponential
 * backoff, 1 s, then ×1.6 per failure, each delay spread ±20 % at random,
 * capped at 120 s. After a connection that was up is lost: a random 0 to
 * {@link #FIRST_JITTER} (3 s), so a fleet that lost its console at one
 * moment does not come back in one burst, and the backoff starts over
 * behind it. When the console said when to come back (a refusal's
 * {@code retry_after_ms} and {@code retry_spread_ms}): that, with its
 * spread, capped at {@link #MAX}.
 */
public final class Backoff {
    public static final Duration INITIAL = Duration.ofSeconds(1);
    public static final Duration MAX = Duration.ofSeconds(120);
    /** The first reconnect after a lost connection comes within this, at random. */
    public static final Duration FIRST_JITTER = Duration.ofSeconds(3);
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

    /** The delay before the next attempt after a failed one; each call grows the next one. */
    public Duration next() {
        double base = currentMs;
        currentMs = Math.min(maxMs, currentMs * FACTOR);
        double jittered = base * (1 - JITTER + 2 * JITTER * random.nextDouble());
        return Duration.ofMillis(Math.round(Math.min(jittered, maxMs * (1 + JITTER))));
    }

    /**
     * The delay before the first attempt after an established connection
     * was lost: random within {@link #FIRST_JITTER}; failures after it back
     * off from {@link #INITIAL} again.
     */
    public Duration afterLoss() {
        currentMs = initialMs;
        return Duration.ofMillis((long) (FIRST_JITTER.toMillis() * random.nextDouble()));
    }

    /**
     * The delay the console asked for: {@code afterMs} plus a random part of
     * {@code spreadMs}, at most {@link #MAX} (a console cannot park an agent
     * for longer). Failures after it continue the backoff where it was.
     */
    public Duration hinted(long afterMs, long spreadMs) {
        double wait = Math.max(0, afterMs) + Math.max(0, spreadMs) * random.nextDouble();
        return Duration.ofMillis(Math.round(Math.min(wait, MAX.toMillis())));
    }

    /** Called once a connection is fully established. */
    public void reset() {
        currentMs = initialMs;
    }
}

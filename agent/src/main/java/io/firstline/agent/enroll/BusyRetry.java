package io.firstline.agent.enroll;

import io.firstline.agent.link.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * How enrollment and renewal wait for a console that refuses them for now
 * and says when to come back (a refusal with {@code retry_after_ms} or
 * {@code retry_spread_ms}, such as {@code OVERLOADED}): they wait what it
 * asked ({@link Backoff#hinted}: the time after plus a random part of the
 * spread, at most 120 s) and try again, at most {@code maxAttempts} times in
 * all and {@code maxWait} of waiting in all, telling {@code progress} before
 * each wait. The wait itself and the randomness are injected, so tests run
 * without sleeping.
 */
public record BusyRetry(int maxAttempts, Duration maxWait, Consumer<String> progress, Sleeper sleeper, RandomGenerator random) {
    public static final int DEFAULT_ATTEMPTS = 10;
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(5);

    /** Waits for a while; {@link Thread#sleep} outside tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public BusyRetry {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
        }
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(random, "random");
    }

    /** {@link #DEFAULT_ATTEMPTS} attempts within {@link #DEFAULT_MAX_WAIT} of waiting, really sleeping, saying nothing. */
    public static BusyRetry standard() {
        return new BusyRetry(DEFAULT_ATTEMPTS, DEFAULT_MAX_WAIT, line -> { }, d -> Thread.sleep(d.toMillis()), new SplittableRandom());
    }

    /** One attempt: a busy console is an error at once. */
    public static BusyRetry none() {
        return standard().withAttempts(1);
    }

    public BusyRetry withAttempts(int attempts) {
        return new BusyRetry(attempts, maxWait, progress, sleeper, random);
    }

    /** Progress lines ("console ... is busy, retrying in 2.3 s (attempt 2 of 10)") go to {@code sink}, e.g. stderr or the log. */
    public BusyRetry withProgress(Consumer<String> sink) {
        return new BusyRetry(maxAttempts, maxWait, sink, sleeper, random);
    }

    public BusyRetry withSleeper(Sleeper s, RandomGenerator r) {
        return new BusyRetry(maxAttempts, maxWait, progress, s, r);
    }
}

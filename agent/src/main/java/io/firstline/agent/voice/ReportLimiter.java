package io.firstline.agent.voice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * At most {@code max} reports per user within a sliding {@code window}, so
 * one local user cannot flood support (or the agent's spool). Thread-safe.
 */
final class ReportLimiter {
    static final int DEFAULT_MAX = 5;
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

    private final int max;
    private final Duration window;
    private final Clock clock;
    private final Map<String, ArrayDeque<Instant>> recent = new HashMap<>();

    ReportLimiter(int max, Duration window, Clock clock) {
        if (max < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate limit needs a positive count and window");
        }
        this.max = max;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Takes one report of {@code user} if the limit allows it (empty);
     * otherwise returns how long until the next report is allowed.
     */
    synchronized Optional<Duration> tryAcquire(String user) {
        Instant now = clock.instant();
        ArrayDeque<Instant> q = recent.computeIfAbsent(user, u -> new ArrayDeque<>());
        while (!q.isEmpty() && !q.peekFirst().isAfter(now.minus(window))) {
            q.pollFirst();
        }
        if (q.size() >= max) {
            return Optional.of(Duration.between(now, q.peekFirst().plus(window)));
        }
        q.addLast(now);
        recent.values().removeIf(ArrayDeque::isEmpty);
        return Optional.empty();
    }

    /** The sentence a refused user reads. */
    String refusal(Duration wait) {
        long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
        return "You have made " + max + " reports in the last " + window.toMinutes() + " minutes, the most this machine accepts."
                + " Please wait " + minutes + (minutes == 1 ? " minute" : " minutes")
                + " before the next one; if it is urgent, call your support desk.";
    }
}

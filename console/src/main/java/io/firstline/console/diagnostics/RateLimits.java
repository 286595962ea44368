package io.firstline.console.diagnostics;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Diagnostics requests per agent and per user within a sliding window
 * ({@value #PER_AGENT} per agent and {@value #PER_USER} per user a minute by
 * default). Automatic triage counts toward the agent's limit only.
 */
final class RateLimits {
    static final int PER_AGENT = 20;
    static final int PER_USER = 30;
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final int perAgent;
    private final int perUser;
    private final Map<String, Deque<Long>> agents = new HashMap<>();
    private final Map<String, Deque<Long>> users = new HashMap<>();

    RateLimits(Clock clock, int perAgent, int perUser) {
        this.clock = clock;
        this.perAgent = perAgent;
        this.perUser = perUser;
    }

    /** Takes one request for both, or says which limit it hits and when to try again (nothing is taken then). */
    synchronized Optional<String> tryAcquire(String agentId, String user) {
        long now = clock.millis();
        Deque<Long> a = window(agents, agentId, now);
        Deque<Long> u = user == null ? null : window(users, user, now);
        if (a.size() >= perAgent) {
            return Optional.of("at most " + perAgent + " diagnostics a minute for one agent; try again in " + wait(a, now) + " s");
        }
        if (u != null && u.size() >= perUser) {
            return Optional.of("at most " + perUser + " diagnostics a minute for one user; try again in " + wait(u, now) + " s");
        }
        a.addLast(now);
        if (u != null) {
            u.addLast(now);
        }
        return Optional.empty();
    }

    private static Deque<Long> window(Map<String, Deque<Long>> map, String key, long now) {
        Deque<Long> d = map.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!d.isEmpty() && d.peekFirst() <= now - WINDOW.toMillis()) {
            d.removeFirst();
        }
        if (map.size() > 10_000) {
            map.values().removeIf(Deque::isEmpty);
        }
        return d;
    }

    private static long wait(Deque<Long> d, long now) {
        return Math.max(1, (d.peekFirst() + WINDOW.toMillis() - now + 999) / 1000);
    }
}

package io.firstline.console.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins: after {@code maxFailures} failures within
 * {@code window} for one user name, or four times as many from one remote
 * address (several people may share one), further attempts are refused
 * until the oldest failure leaves the window. Kept in
 * memory: a restart forgets, which only gives an attacker one more window.
 */
public final class LoginThrottle {
    private static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, int maxFailures, Duration window) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
    }

    /** How long the caller must wait before trying again; zero when a try is allowed now. */
    public Duration retryAfter(String username, String remote) {
        Instant now = clock.instant();
        Duration a = wait("u:" + username, now, maxFailures);
        Duration b = wait("r:" + remote, now, maxFailures * 4);
        return a.compareTo(b) >= 0 ? a : b;
    }

    private Duration wait(String key, Instant now, int max) {
        Deque<Instant> d = failures.get(key);
        if (d == null) {
            return Duration.ZERO;
        }
        synchronized (d) {
            prune(d, now);
            if (d.size() < max) {
                return Duration.ZERO;
            }
            return Duration.between(now, d.peekFirst().plus(window));
        }
    }

    public void failed(String username, String remote) {
        Instant now = clock.instant();
        if (failures.size() > MAX_KEYS) {
            sweep(now);
        }
        for (String key : new String[] {"u:" + username, "r:" + remote}) {
            Deque<Instant> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (d) {
                prune(d, now);
                d.addLast(now);
            }
        }
    }

    public void succeeded(String username) {
        failures.remove("u:" + username);
    }

    private void prune(Deque<Instant> d, Instant now) {
        while (!d.isEmpty() && !d.peekFirst().plus(window).isAfter(now)) {
            d.removeFirst();
        }
    }

    private void sweep(Instant now) {
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Deque<Instant> d = it.next().getValue();
            synchronized (d) {
                prune(d, now);
                if (d.isEmpty()) {
                    it.remove();
                }
            }
        }
    }
}

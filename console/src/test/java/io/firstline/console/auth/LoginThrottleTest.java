package io.firstline.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-29T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, Duration.ofMinutes(5));

    @Test
    void blocksAUserAfterTheFailuresUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, throttle.retryAfter("bob", "10.0.0.1"));
            throttle.failed("bob", "10.0.0.1");
            clock.now = clock.now.plusSeconds(10);
        }
        Duration wait = throttle.retryAfter("bob", "10.0.0.2");
        assertEquals(Duration.ofMinutes(5).minusSeconds(30), wait);
        assertEquals(Duration.ZERO, throttle.retryAfter("alice", "10.0.0.2"));
        clock.now = clock.now.plus(wait);
        assertEquals(Duration.ZERO, throttle.retryAfter("bob", "10.0.0.2"));
    }

    @Test
    void blocksOneAddressTryingManyNames() {
        for (int i = 0; i < 12; i++) {
            throttle.failed("user" + i, "10.0.0.9");
        }
        assertTrue(throttle.retryAfter("someone-new", "10.0.0.9").toSeconds() > 0);
        assertEquals(Duration.ZERO, throttle.retryAfter("someone-new", "10.0.0.10"));
    }

    @Test
    void aSuccessClearsTheUsersFailures() {
        throttle.failed("bob", "a");
        throttle.failed("bob", "b");
        throttle.succeeded("bob");
        throttle.failed("bob", "c");
        throttle.failed("bob", "d");
        assertEquals(Duration.ZERO, throttle.retryAfter("bob", "e"));
    }
}

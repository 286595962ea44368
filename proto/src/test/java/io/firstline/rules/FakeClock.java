package io.firstline.rules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand. */
final class FakeClock extends Clock {
    private Instant now = Instant.parse("2026-11-29T00:00:00Z");

    void advance(Duration d) {
        now = now.plus(d);
    }

    void advanceSeconds(long s) {
        advance(Duration.ofSeconds(s));
    }

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

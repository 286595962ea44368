package io.firstline.console.reports;

import java.time.Duration;
import java.time.Instant;

/**
 * The period a report covers, {@code [from, to)}, {@code days} long and
 * ending now, and the period of the same length before it, {@code
 * [previousFrom, from)}, that trends are measured against.
 */
public record Period(Instant from, Instant to, int days) {
    /** The longest period a report may cover. */
    public static final int MAX_DAYS = 366;

    public Period {
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be from 1 to " + MAX_DAYS + ", got " + days);
        }
    }

    /** The {@code days} days up to {@code now}. */
    public static Period ending(Instant now, int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be from 1 to " + MAX_DAYS + ", got " + days);
        }
        return new Period(now.minus(Duration.ofDays(days)), now, days);
    }

    public Instant previousFrom() {
        return from.minus(Duration.ofDays(days));
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    public boolean inPrevious(Instant t) {
        return !t.isBefore(previousFrom()) && t.isBefore(from);
    }
}

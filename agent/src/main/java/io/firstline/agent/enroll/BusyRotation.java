package io.firstline.agent.enroll;

import io.firstline.agent.link.Backoff;
import io.firstline.agent.link.ConsoleAddress;
import java.time.Duration;
import java.util.List;

/**
 * Which console address an enrollment (or renewal) tries next, and after how
 * long, by the link's rule: a console that refuses with a time to come back
 * is not tried again before that time, and the next address is tried at once
 * meanwhile; a console that failed otherwise (no connection, no TLS) is out
 * of this enrollment. The time that counts is the time spent waiting (the
 * attempts themselves are short), so the logic is pure.
 */
final class BusyRotation {
    /** The next attempt: which address, after how long a wait (its delay). */
    record Next(int index, Duration delay) {
    }

    private final int size;
    private final Backoff hints;
    /** Per address: the waited time (ms) before which it asked not to be tried again. */
    private final long[] dueMs;
    private final boolean[] out;
    private long waitedMs;
    private int current;

    BusyRotation(List<ConsoleAddress> consoles, Backoff hints) {
        if (consoles.isEmpty()) {
            throw new IllegalArgumentException("no console address given");
        }
        this.size = consoles.size();
        this.hints = hints;
        this.dueMs = new long[size];
        this.out = new boolean[size];
    }

    int current() {
        return current;
    }

    /** The time spent waiting so far. */
    Duration waited() {
        return Duration.ofMillis(waitedMs);
    }

    /** The current console refused with a time to come back: the next address due, and the wait for it. */
    Next busy(long afterMs, long spreadMs) {
        dueMs[current] = waitedMs + hints.hinted(afterMs, spreadMs).toMillis();
        return next();
    }

    /** The current console failed for another reason: it is out; the next one still in, or none (index -1). */
    Next failed() {
        out[current] = true;
        return next();
    }

    /** The caller waited {@code next.delay()} and is about to try {@code next.index()}. */
    void moveTo(Next next) {
        waitedMs += next.delay().toMillis();
        current = next.index();
    }

    /** From the address after the current one, round: the first that is due, else the one due soonest. */
    private Next next() {
        int soonest = -1;
        for (int step = 1; step <= size; step++) {
            int i = (current + step) % size;
            if (out[i]) {
                continue;
            }
            if (dueMs[i] <= waitedMs) {
                return new Next(i, Duration.ZERO);
            }
            if (soonest < 0 || dueMs[i] < dueMs[soonest]) {
                soonest = i;
            }
        }
        return soonest < 0 ? new Next(-1, Duration.ZERO) : new Next(soonest, Duration.ofMillis(dueMs[soonest] - waitedMs));
    }
}

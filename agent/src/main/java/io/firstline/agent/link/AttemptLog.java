package io.firstline.agent.link;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Decides which failed connection attempts get a log line, so an agent that
 * cannot reach its console says so at WARN without filling the log while it
 * retries. A failure is reported when it is the first since the last success,
 * when its console address or reason differs from the last one reported, and
 * otherwise at most once per {@link #QUIET}; the line then counts the
 * attempts that went unreported in between. Pure logic with an injected clock.
 */
final class AttemptLog {
    /** At most one line per this long while the same failure repeats. */
    static final Duration QUIET = Duration.ofMinutes(1);

    private final LongSupplier nanoTime;
    private long failures;
    private long unreported;
    private String lastKey;
    private long lastReportNanos;

    AttemptLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * One attempt to reach {@code address} failed for {@code reason}; the
     * next attempt follows in {@code retryIn}. Returns the line to log, or
     * empty when this one is rate-limited.
     */
    Optional<String> failed(ConsoleAddress address, String reason, Duration retryIn) {
        failures++;
        long now = nanoTime.getAsLong();
        String key = address + "\n" + reason;
        boolean report = failures == 1 || !key.equals(lastKey) || now - lastReportNanos >= QUIET.toNanos();
        if (!report) {
            unreported++;
            return Optional.empty();
        }
        String line = String.format(Locale.ROOT, "cannot connect to console %s: %s (attempt %d%s; next in %.1f s)", address, reason,
                failures, unreported == 0 ? "" : ", " + unreported + " more failed since the last report", retryIn.toMillis() / 1000.0);
        lastKey = key;
        lastReportNanos = now;
        unreported = 0;
        return Optional.of(line);
    }

    /** A console welcomed us: returns how many attempts had failed before, and starts over. */
    long succeeded() {
        long n = failures;
        failures = 0;
        unreported = 0;
        lastKey = null;
        return n;
    }
}

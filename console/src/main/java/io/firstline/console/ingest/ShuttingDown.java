package io.firstline.console.ingest;

import java.time.Duration;

/**
 * Fired on every agent connection's pipeline when the console stops: the
 * session stops reading, lets the commits it has started finish and their
 * acks go out, then sends {@code Refuse(SHUTTING_DOWN)} telling the agent to
 * come back after {@code retryAfterMs} plus a random part of
 * {@code spreadMs}, and closes.
 */
record ShuttingDown(long retryAfterMs, long spreadMs) {
    /** Agents told the console is stopping wait at least this long: its process has to exit and a new one to start. */
    static final long MIN_RETRY_AFTER_MS = 1_000;
    /** Nor longer than this: a start that once took minutes (a long migration) is not the usual restart. */
    static final long MAX_RETRY_AFTER_MS = 60_000;
    /**
     * The spread grows by this much per connected agent: 500 returns a second,
     * a little under the 550 a 2-core console took back (resumed handshakes,
     * Hellos and the samples kept meanwhile) while sharing its cores with
     * 10,000 simulated agents, so that a returning fleet arrives no faster
     * than a small console takes it back (docs/benchmarks.md, "Restart").
     */
    static final long SPREAD_PER_AGENT_MICROS = 2_000;
    /** Agents cap any console's hint at 2 minutes in all (the agent's Backoff.MAX), so the wait and the spread end by then. */
    static final long MAX_TOTAL_MS = 120_000;

    /**
     * What a console stopping with {@code connected} agents asks of them: to
     * come back once a new console has had the time this one's own start
     * took ({@code lastStart}), spread over {@code minSpread} or, for a larger
     * fleet, {@link #SPREAD_PER_AGENT_MICROS} per agent, so that a restart is
     * met by a stream of returns rather than by the whole fleet at once.
     */
    static ShuttingDown forFleet(int connected, Duration lastStart, Duration minSpread) {
        long after = Math.min(MAX_RETRY_AFTER_MS, MIN_RETRY_AFTER_MS + Math.max(0, lastStart.toMillis()));
        long bySize = connected * SPREAD_PER_AGENT_MICROS / 1_000;
        long spread = Math.min(MAX_TOTAL_MS - after, Math.max(minSpread.toMillis(), bySize));
        return new ShuttingDown(after, spread);
    }
}

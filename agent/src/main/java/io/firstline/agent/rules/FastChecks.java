package io.firstline.agent.rules;

import io.firstline.agent.collect.CollectorRunner;
import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.collect.Registration;
import io.firstline.agent.collect.Snapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Re-reads, between samples, only the cheap signals some rule watches.
 *
 * <ul>
 *   <li>Each collector gets its own fresh instance here, so the sample's rate
 *       windows are untouched.</li>
 *   <li>After {@value #LEARNING_PASSES} passes a collector that produced
 *       values, none of them watched, is dropped; one that produced nothing
 *       yet (rates need two readings, a source may start empty) stays, until
 *       {@value #GIVE_UP_PASSES} passes without a single value.</li>
 *   <li>Cheap means measured: each collector's CPU time is tracked, and it
 *       is re-read as often as a budget of {@value #BUDGET_MICROS_PER_SECOND}
 *       µs of CPU per second (0.1 % of one core, shared by all watched
 *       collectors) allows, never more often than the check interval. Reading
 *       /proc/meminfo qualifies for several times a second; enumerating every
 *       mounted file system may not, and then waits for the next sample.</li>
 * </ul>
 */
final class FastChecks {
    static final int LEARNING_PASSES = 3;
    /** A collector that has produced nothing at all after this many passes (no sensors here, unsupported) is dropped too. */
    static final int GIVE_UP_PASSES = 40;
    static final long BUDGET_MICROS_PER_SECOND = 1_000;

    private static final class Candidate {
        final CollectorRunner runner;
        boolean useful;
        boolean produced;
        double costMicros = -1;
        long nextDueMs;
        int runs;

        Candidate(CollectorRunner runner) {
            this.runner = runner;
        }
    }

    private final List<Candidate> candidates = new ArrayList<>();
    private final Clock clock;
    private final long checkIntervalMs;
    private int passes;

    FastChecks(List<Registration> registrations, HostProbe probe, Clock clock, long checkIntervalMs) {
        this.clock = clock;
        this.checkIntervalMs = checkIntervalMs;
        for (Registration r : registrations) {
            candidates.add(new Candidate(new CollectorRunner(List.of(r), probe, clock)));
        }
    }

    /** Runs the collectors that are due and still worth running, and returns their watched readings. */
    List<Snapshot.Reading> read(Predicate<String> watched) {
        long now = clock.millis();
        List<Snapshot.Reading> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (now < c.nextDueMs) {
                continue;
            }
            long cpuBefore = cpuNanos();
            Snapshot s = c.runner.collect();
            long cpuAfter = cpuNanos();
            // CPU time, not wall time: on a busy machine a preempted collector is not a costly one.
            long micros = cpuBefore >= 0 && cpuAfter >= 0 ? (cpuAfter - cpuBefore) / 1000
                    : s.runs().isEmpty() ? 0 : s.runs().get(0).durationMicros();
            // The first run pays for class loading and a cold JIT; it says nothing about the steady cost.
            if (++c.runs > 1) {
                c.costMicros = c.costMicros < 0 ? micros : 0.5 * c.costMicros + 0.5 * micros;
            }
            long budgetInterval = (long) (Math.max(0, c.costMicros) * candidates.size() * 1000 / BUDGET_MICROS_PER_SECOND);
            c.nextDueMs = now + Math.max(checkIntervalMs, budgetInterval);
            for (Snapshot.Reading r : s.values()) {
                c.produced = true;
                if (watched.test(r.metric())) {
                    c.useful = true;
                    out.add(r);
                }
            }
        }
        if (++passes == LEARNING_PASSES) {
            candidates.removeIf(c -> c.produced && !c.useful);
        }
        if (passes == GIVE_UP_PASSES) {
            candidates.removeIf(c -> !c.produced);
        }
        return out;
    }

    private static long cpuNanos() {
        return ThreadCpuClock.nanos();
    }

    /** Names of the collectors still checked (for logs and tests). */
    List<String> collectors() {
        return candidates.stream().flatMap(c -> c.runner.names().stream()).toList();
    }

    /** How often each collector is re-read now, in ms, for logs and tests. */
    List<Long> intervalsMs() {
        return candidates.stream().map(c -> Math.max(checkIntervalMs,
                (long) (Math.max(0, c.costMicros) * candidates.size() * 1000 / BUDGET_MICROS_PER_SECOND))).toList();
    }
}

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
 * Re-reads, between samples, only the signals some rule watches. Each
 * collector gets its own fresh instance here (so the sample's rate windows
 * are untouched). After {@value #LEARNING_PASSES} passes a collector that
 * produced values, none of them watched, is dropped; one that produced
 * nothing yet (rates need two readings, a source may start empty) stays.
 */
final class FastChecks {
    static final int LEARNING_PASSES = 3;

    private static final class Candidate {
        final CollectorRunner runner;
        boolean useful;
        boolean produced;

        Candidate(CollectorRunner runner) {
            this.runner = runner;
        }
    }

    private final List<Candidate> candidates = new ArrayList<>();
    private int passes;

    FastChecks(List<Registration> registrations, HostProbe probe, Clock clock) {
        for (Registration r : registrations) {
            candidates.add(new Candidate(new CollectorRunner(List.of(r), probe, clock)));
        }
    }

    /** Runs the collectors still worth running and returns their readings. */
    List<Snapshot.Reading> read(Predicate<String> watched) {
        List<Snapshot.Reading> out = new ArrayList<>();
        for (Candidate c : candidates) {
            for (Snapshot.Reading r : c.runner.collect().values()) {
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
        return out;
    }

    /** Names of the collectors still checked (for logs and tests). */
    List<String> collectors() {
        return candidates.stream().flatMap(c -> c.runner.names().stream()).toList();
    }
}

package io.firstline.agent.collect;

import io.firstline.agent.collect.Snapshot.Outcome;
import io.firstline.agent.collect.Snapshot.Reading;
import io.firstline.agent.collect.Snapshot.Run;
import io.firstline.agent.collect.Snapshot.TextReading;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enabled collectors once per cycle and times each. A collector that
 * fails to start or throws is recorded in the snapshot and never stops the
 * others; its partial values of that cycle are dropped.
 */
public final class CollectorRunner {
    private static final Logger log = LoggerFactory.getLogger(CollectorRunner.class);

    private record Active(String name, Collector collector, String startError) {
    }

    private final List<Active> active = new ArrayList<>();
    private final Clock clock;
    private final Set<String> reported = new HashSet<>();

    public CollectorRunner(List<Registration> registrations, HostProbe probe, Clock clock) {
        this.clock = clock;
        for (Registration r : registrations) {
            Collector c = null;
            String error = null;
            try {
                c = r.factory().apply(probe);
            } catch (RuntimeException | LinkageError e) {
                error = describe(e);
                log.warn("collector {} could not start: {}", r.name(), error);
            }
            active.add(new Active(r.name(), c, error));
        }
    }

    /** Names of the collectors in run order; the index is the wire's collector number. */
    public List<String> names() {
        return active.stream().map(Active::name).toList();
    }

    public Snapshot collect() {
        long timestamp = clock.millis();
        List<Reading> values = new ArrayList<>();
        List<TextReading> texts = new ArrayList<>();
        List<Run> runs = new ArrayList<>(active.size());
        for (Active a : active) {
            if (a.collector == null) {
                runs.add(new Run(a.name, 0, Outcome.FAILED, a.startError));
                continue;
            }
            Buffer buffer = new Buffer();
            long start = System.nanoTime();
            Outcome outcome = Outcome.OK;
            String error = "";
            try {
                a.collector.collect(buffer);
            } catch (UnsupportedOperationException e) {
                outcome = Outcome.UNSUPPORTED;
                error = describe(e);
                if (reported.add(a.name + "/unsupported")) {
                    log.info("collector {} is not supported here: {}", a.name, error);
                }
            } catch (Exception | LinkageError e) {
                outcome = Outcome.FAILED;
                error = describe(e);
                if (reported.add(a.name + "/" + e.getClass().getName())) {
                    log.warn("collector {} failed: {} (reported once; see each sample)", a.name, error, e);
                }
            }
            long micros = (System.nanoTime() - start) / 1000;
            if (outcome == Outcome.OK) {
                values.addAll(buffer.values);
                texts.addAll(buffer.texts);
            }
            runs.add(new Run(a.name, micros, outcome, error));
        }
        return new Snapshot(timestamp, values, texts, runs);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }

    private static final class Buffer implements MetricWriter {
        final List<Reading> values = new ArrayList<>();
        final List<TextReading> texts = new ArrayList<>();

        @Override
        public void value(String metric, String resource, double value) {
            if (Double.isFinite(value)) {
                values.add(new Reading(metric, resource == null ? "" : resource, value));
            }
        }

        @Override
        public void text(String metric, String resource, String text) {
            if (text != null && !text.isBlank()) {
                texts.add(new TextReading(metric, resource == null ? "" : resource, text));
            }
        }
    }
}

package io.firstline.agent.collect;

import io.firstline.agent.collect.Snapshot.Outcome;
import io.firstline.agent.collect.Snapshot.Reading;
import io.firstline.agent.collect.Snapshot.Run;
import io.firstline.agent.collect.Snapshot.TextReading;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enabled collectors once per cycle and times each. A collector with
 * a slower schedule ({@link Registration#every()}) runs only in the cycles
 * where its interval has passed; it then appears in that cycle's runs. A
 * collector that fails to start or throws is recorded in the snapshot and
 * never stops the others; its partial values of that cycle are dropped. One
 * that is unsupported here is logged once and then not run again for an
 * hour (the platform will not change under us); meanwhile it is reported as
 * unsupported on its schedule without being run.
 */
public final class CollectorRunner {
    private static final Logger log = LoggerFactory.getLogger(CollectorRunner.class);
    private static final Duration MAX_EARLY = Duration.ofSeconds(5);
    /** An unsupported collector is tried again only this often. */
    static final Duration UNSUPPORTED_RETRY = Duration.ofHours(1);

    private static final class Active {
        final String name;
        final Collector collector;
        final String startError;
        final long everyMs;
        final long earlyMs;
        long lastRunMs = Long.MIN_VALUE;
        long notBeforeMs = Long.MIN_VALUE;
        String unsupportedWhy = "";

        Active(String name, Collector collector, String startError, Duration every) {
            this.name = name;
            this.collector = collector;
            this.startError = startError;
            this.everyMs = every.toMillis();
            // A fixed-rate schedule jitters a little; run a slow collector a
            // bit early rather than a whole cycle late.
            this.earlyMs = Math.min(everyMs / 10, MAX_EARLY.toMillis());
        }

        boolean due(long now) {
            return lastRunMs == Long.MIN_VALUE || now - lastRunMs >= everyMs - earlyMs;
        }
    }

    private final List<Active> active = new ArrayList<>();
    private final Clock clock;
    /**
     * What was logged already, for the whole process: the agent runs several
     * runners over the same collectors (the sample loop, and one per fast
     * check), and "reported once" means once.
     */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    public CollectorRunner(List<Registration> registrations, HostProbe probe, Clock clock) {
        this.clock = clock;
        for (Registration r : registrations) {
            Collector c = null;
            String error = null;
            try {
                c = r.factory().apply(probe);
            } catch (RuntimeException | LinkageError e) {
                error = describe(e);
                if (REPORTED.add(r.name() + "/start")) {
                    log.warn("collector {} could not start: {} (reported once; see each sample)", r.name(), error);
                }
            }
            active.add(new Active(r.name(), c, error, r.every()));
        }
    }

    /** Names of the collectors in run order; the index is the wire's collector number. */
    public List<String> names() {
        return active.stream().map(a -> a.name).toList();
    }

    /** Runs every collector that is due. */
    public Snapshot collect() {
        long timestamp = clock.millis();
        List<Reading> values = new ArrayList<>();
        List<TextReading> texts = new ArrayList<>();
        List<Run> runs = new ArrayList<>(active.size());
        for (Active a : active) {
            if (!a.due(timestamp)) {
                continue;
            }
            a.lastRunMs = timestamp;
            if (timestamp < a.notBeforeMs) {
                // Known unsupported: report it on its schedule without running it again.
                runs.add(new Run(a.name, 0, Outcome.UNSUPPORTED, a.unsupportedWhy));
                continue;
            }
            if (a.collector == null) {
                runs.add(new Run(a.name, 0, Outcome.FAILED, a.startError));
                continue;
            }
            runs.add(runOne(a, values, texts));
        }
        return new Snapshot(timestamp, values, texts, runs);
    }

    private Run runOne(Active a, List<Reading> values, List<TextReading> texts) {
        Buffer buffer = new Buffer();
        long start = System.nanoTime();
        Outcome outcome = Outcome.OK;
        String error = "";
        try {
            a.collector.collect(buffer);
        } catch (UnsupportedOperationException e) {
            outcome = Outcome.UNSUPPORTED;
            error = describe(e);
            a.notBeforeMs = a.lastRunMs + UNSUPPORTED_RETRY.toMillis();
            a.unsupportedWhy = error;
            if (REPORTED.add(a.name + "/unsupported")) {
                log.info("collector {} is not supported here: {} (reported once; see each sample)", a.name, error);
            }
        } catch (Exception | LinkageError e) {
            outcome = Outcome.FAILED;
            error = describe(e);
            if (REPORTED.add(a.name + "/" + e.getClass().getName())) {
                log.warn("collector {} failed: {} (reported once; see each sample)", a.name, error, e);
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        if (outcome != Outcome.OK) {
            return new Run(a.name, micros, outcome, error);
        }
        values.addAll(buffer.values);
        texts.addAll(buffer.texts);
        return new Run(a.name, micros, outcome, error, buffer.values.size(), buffer.texts.size());
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

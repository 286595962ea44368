package io.firstline.agent.collect;

import java.util.List;

/**
 * Everything one collection cycle saw, before it is encoded for the wire.
 * Values and texts are in run order: the first {@code runs[0].values()}
 * values came from the first run, and so on, so an encoder can tell which
 * collector wrote which series.
 */
public record Snapshot(long timestampMs, List<Reading> values, List<TextReading> texts, List<Run> runs) {
    public Snapshot {
        values = List.copyOf(values);
        texts = List.copyOf(texts);
        runs = List.copyOf(runs);
    }

    /** A numeric value of a metric for one resource ("" for the whole host). */
    public record Reading(String metric, String resource, double value) {
    }

    public record TextReading(String metric, String resource, String text) {
    }

    /** How one collector fared in this cycle, and how many values and texts it wrote. */
    public record Run(String collector, long durationMicros, Outcome outcome, String error, int valueCount, int textCount) {
        public Run(String collector, long durationMicros, Outcome outcome, String error) {
            this(collector, durationMicros, outcome, error, 0, 0);
        }
    }

    public enum Outcome { OK, FAILED, UNSUPPORTED }

    /** Whether the runs' counts account for every value and text (false for hand-made snapshots). */
    public boolean countsMatch() {
        int v = 0;
        int t = 0;
        for (Run r : runs) {
            v += r.valueCount();
            t += r.textCount();
        }
        return v == values.size() && t == texts.size();
    }
}

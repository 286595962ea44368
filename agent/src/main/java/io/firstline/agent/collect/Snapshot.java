package io.firstline.agent.collect;

import java.util.List;

/** Everything one collection cycle saw, before it is encoded for the wire. */
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

    /** How one collector fared in this cycle. */
    public record Run(String collector, long durationMicros, Outcome outcome, String error) {
    }

    public enum Outcome { OK, FAILED, UNSUPPORTED }
}

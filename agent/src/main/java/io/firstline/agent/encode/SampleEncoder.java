package io.firstline.agent.encode;

import io.firstline.agent.collect.Snapshot;
import io.firstline.proto.CollectorRun;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.TextValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link Snapshot} into a compact wire {@link Sample}: series travel
 * as dictionary ids, and values as fixed-point integers where their unit
 * allows ({@link Precision}), doubles otherwise. Counters were already turned
 * into per-second rates by the collectors.
 */
public final class SampleEncoder {
    private final SeriesDictionary dictionary;
    private final List<String> collectorNames;
    /** The "unsupported" reason last sent per collector, so it travels once, not in every sample. */
    private final java.util.Map<Integer, String> unsupportedSent = new java.util.HashMap<>();

    /** @param collectorNames the Hello's collector list, whose indexes the sample uses */
    public SampleEncoder(SeriesDictionary dictionary, List<String> collectorNames) {
        this.dictionary = dictionary;
        this.collectorNames = List.copyOf(collectorNames);
    }

    public Sample encode(Snapshot snapshot) {
        List<SeriesDef> defined = new ArrayList<>();
        Sample.Builder b = Sample.newBuilder().setTimestampMs(snapshot.timestampMs());
        int[] valueOwner = owners(snapshot, true);
        int[] textOwner = owners(snapshot, false);
        List<Snapshot.Reading> values = snapshot.values();
        for (int i = 0; i < values.size(); i++) {
            Snapshot.Reading r = values.get(i);
            int id = dictionary.define(r.metric(), r.resource(), valueOwner[i], defined).getId();
            Long scaled = Precision.scaled(r.metric(), r.value());
            if (scaled != null) {
                b.addScaledSeries(id).addScaled(scaled);
            } else {
                b.addSeries(id).addValues(r.value());
            }
        }
        List<Snapshot.TextReading> texts = snapshot.texts();
        for (int i = 0; i < texts.size(); i++) {
            Snapshot.TextReading t = texts.get(i);
            b.addTexts(TextValue.newBuilder().setSeries(dictionary.define(t.metric(), t.resource(), textOwner[i], defined).getId())
                    .setValue(t.text()));
        }
        for (Snapshot.Run run : snapshot.runs()) {
            int index = indexOf(run.collector());
            String error = run.error() == null ? "" : run.error();
            if (run.outcome() == Snapshot.Outcome.UNSUPPORTED) {
                error = error.equals(unsupportedSent.put(index, error)) ? "" : error;
            } else {
                unsupportedSent.remove(index);
            }
            b.addCollectors(CollectorRun.newBuilder()
                    .setCollector(index)
                    .setDurationMicros((int) Math.min(Integer.MAX_VALUE, run.durationMicros()))
                    .setOutcome(switch (run.outcome()) {
                        case OK -> CollectorRun.Outcome.OK;
                        case FAILED -> CollectorRun.Outcome.FAILED;
                        case UNSUPPORTED -> CollectorRun.Outcome.UNSUPPORTED;
                    })
                    .setError(error));
        }
        return b.addAllNewSeries(defined).build();
    }

    private int indexOf(String collector) {
        int index = collectorNames.indexOf(collector);
        if (index < 0) {
            throw new IllegalArgumentException("collector not announced in Hello: " + collector);
        }
        return index;
    }

    /** For each value (or text), the Hello index of the collector that wrote it, from the runs' counts. */
    private int[] owners(Snapshot s, boolean values) {
        int[] owner = new int[values ? s.values().size() : s.texts().size()];
        java.util.Arrays.fill(owner, SeriesDictionary.NO_COLLECTOR);
        if (!s.countsMatch()) {
            return owner;
        }
        int at = 0;
        for (Snapshot.Run run : s.runs()) {
            int n = values ? run.valueCount() : run.textCount();
            int index = indexOf(run.collector());
            for (int k = 0; k < n; k++) {
                owner[at++] = index;
            }
        }
        return owner;
    }
}

package io.firstline.agent.encode;

import io.firstline.agent.collect.Snapshot;
import io.firstline.proto.CollectorRun;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.TextValue;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link Snapshot} into a compact wire {@link Sample}. */
public final class SampleEncoder {
    private final SeriesDictionary dictionary;
    private final List<String> collectorNames;

    /** @param collectorNames the Hello's collector list, whose indexes the sample uses */
    public SampleEncoder(SeriesDictionary dictionary, List<String> collectorNames) {
        this.dictionary = dictionary;
        this.collectorNames = List.copyOf(collectorNames);
    }

    public Sample encode(Snapshot snapshot) {
        List<SeriesDef> defined = new ArrayList<>();
        Sample.Builder b = Sample.newBuilder().setTimestampMs(snapshot.timestampMs());
        for (Snapshot.Reading r : snapshot.values()) {
            b.addSeries(dictionary.idOf(r.metric(), r.resource(), defined));
            b.addValues(r.value());
        }
        for (Snapshot.TextReading t : snapshot.texts()) {
            b.addTexts(TextValue.newBuilder().setSeries(dictionary.idOf(t.metric(), t.resource(), defined)).setValue(t.text()));
        }
        for (Snapshot.Run run : snapshot.runs()) {
            int index = collectorNames.indexOf(run.collector());
            if (index < 0) {
                throw new IllegalArgumentException("collector not announced in Hello: " + run.collector());
            }
            b.addCollectors(CollectorRun.newBuilder()
                    .setCollector(index)
                    .setDurationMicros((int) Math.min(Integer.MAX_VALUE, run.durationMicros()))
                    .setOutcome(switch (run.outcome()) {
                        case OK -> CollectorRun.Outcome.OK;
                        case FAILED -> CollectorRun.Outcome.FAILED;
                        case UNSUPPORTED -> CollectorRun.Outcome.UNSUPPORTED;
                    })
                    .setError(run.error() == null ? "" : run.error()));
        }
        return b.addAllNewSeries(defined).build();
    }
}

package io.firstline.agent.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.firstline.agent.collect.Snapshot;
import io.firstline.agent.collect.Snapshot.Outcome;
import io.firstline.agent.collect.Snapshot.Reading;
import io.firstline.agent.collect.Snapshot.Run;
import io.firstline.agent.collect.Snapshot.TextReading;
import io.firstline.proto.CollectorRun;
import io.firstline.proto.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleEncoderTest {
    private static Snapshot snapshot(double v) {
        return new Snapshot(1000, List.of(new Reading("cpu.usage_ratio", "", v), new Reading("fs.free_bytes", "/", 5e9)),
                List.of(new TextReading("fs.type", "/", "ext4")),
                List.of(new Run("cpu", 120, Outcome.OK, ""), new Run("filesystem", 80, Outcome.FAILED, "boom")));
    }

    @Test
    void namesTravelOnceThenOnlyIds() {
        SeriesDictionary dict = new SeriesDictionary();
        SampleEncoder enc = new SampleEncoder(dict, List.of("cpu", "filesystem"));
        Sample first = enc.encode(snapshot(0.5));
        assertEquals(3, first.getNewSeriesCount());
        assertEquals(List.of(1, 2), first.getSeriesList());
        assertEquals(List.of(0.5, 5e9), first.getValuesList());
        assertEquals(3, first.getTexts(0).getSeries());
        assertEquals(CollectorRun.Outcome.FAILED, first.getCollectors(1).getOutcome());
        assertEquals(1, first.getCollectors(1).getCollector());

        Sample second = enc.encode(snapshot(0.25));
        assertEquals(0, second.getNewSeriesCount());
        assertEquals(List.of(1, 2), second.getSeriesList());
        assertEquals(3, dict.all().size());
        // The repeat costs far less than the first, which carried the names.
        assertEquals(true, second.getSerializedSize() < first.getSerializedSize() / 2 + 20);
    }

    @Test
    void unknownCollectorIsABug() {
        SampleEncoder enc = new SampleEncoder(new SeriesDictionary(), List.of("cpu"));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(snapshot(1)));
    }
}

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
        // Both values travel as fixed-point integers: the ratio with 4 decimals, bytes whole.
        assertEquals(List.of(), first.getSeriesList());
        assertEquals(List.of(1, 2), first.getScaledSeriesList());
        assertEquals(List.of(5000L, 5_000_000_000L), first.getScaledList());
        assertEquals(4, first.getNewSeries(0).getDecimals());
        assertEquals(0, first.getNewSeries(1).getDecimals());
        assertEquals(3, first.getTexts(0).getSeries());
        assertEquals(CollectorRun.Outcome.FAILED, first.getCollectors(1).getOutcome());
        assertEquals(1, first.getCollectors(1).getCollector());

        Sample second = enc.encode(snapshot(0.25));
        assertEquals(0, second.getNewSeriesCount());
        assertEquals(List.of(1, 2), second.getScaledSeriesList());
        assertEquals(List.of(2500L, 5_000_000_000L), second.getScaledList());
        assertEquals(3, dict.all().size());
        // The repeat costs far less than the first, which carried the names.
        assertEquals(true, second.getSerializedSize() < first.getSerializedSize() / 2 + 20);
    }

    @Test
    void seriesNameTheirCollectorFromTheRunCounts() {
        Snapshot s = new Snapshot(1000,
                List.of(new Reading("cpu.usage_ratio", "", 0.5), new Reading("processes.count", "", 90)),
                List.of(new TextReading("process.name", "cpu1", "java")),
                List.of(new Run("cpu", 1, Outcome.OK, "", 1, 0), new Run("processes", 1, Outcome.OK, "", 1, 1)));
        Sample sample = new SampleEncoder(new SeriesDictionary(), List.of("cpu", "processes")).encode(s);
        assertEquals(List.of(0, 1, 1), sample.getNewSeriesList().stream().map(d -> d.getCollector()).toList());
        assertEquals(true, sample.getNewSeries(0).hasCollector());
    }

    @Test
    void precisionFollowsTheUnit() {
        assertEquals(1235L, Precision.scaled("cpu.usage_ratio", 0.12346));
        assertEquals(1235L, Precision.scaled("net.rx_bytes_per_second", 1234.6));
        assertEquals(10L, Precision.scaled("net.errors_per_second", 0.1));
        assertEquals(3L, Precision.scaled("net.errors_per_second", 0.033));
        assertEquals(123L, Precision.scaled("cpu.load1", 1.234));
        assertEquals(125L, Precision.scaled("connectivity.dns_resolve_ms", 12.46));
        assertEquals(22070L, Precision.scaled("process.pid", 22070));
        // Exact metrics are never rounded: a fraction travels as a double.
        assertEquals(null, Precision.scaled("disk.queue_length", 1.5));
        assertEquals(null, Precision.scaled("fs.size_bytes", 1e300));
        assertEquals(-5L, Precision.scaled("time.offset_ms", -0.5), "offsets may be negative");
    }

    @Test
    void aFractionOfAnExactMetricTravelsAsADouble() {
        Snapshot s = new Snapshot(1000, List.of(new Reading("disk.queue_length", "sda", 1.5)), List.of(),
                List.of(new Run("disk", 1, Outcome.OK, "", 1, 0)));
        Sample sample = new SampleEncoder(new SeriesDictionary(), List.of("disk")).encode(s);
        assertEquals(List.of(1), sample.getSeriesList());
        assertEquals(List.of(1.5), sample.getValuesList());
        assertEquals(0, sample.getScaledCount());
    }

    @Test
    void theReasonForUnsupportedTravelsOnce() {
        SampleEncoder enc = new SampleEncoder(new SeriesDictionary(), List.of("sensors"));
        Snapshot s = new Snapshot(1000, List.of(), List.of(), List.of(new Run("sensors", 5, Outcome.UNSUPPORTED, "no sensors")));
        assertEquals("no sensors", enc.encode(s).getCollectors(0).getError());
        assertEquals(CollectorRun.Outcome.UNSUPPORTED, enc.encode(s).getCollectors(0).getOutcome());
        assertEquals("", enc.encode(s).getCollectors(0).getError());
    }

    @Test
    void unknownCollectorIsABug() {
        SampleEncoder enc = new SampleEncoder(new SeriesDictionary(), List.of("cpu"));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(snapshot(1)));
    }
}

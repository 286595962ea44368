package io.firstline.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.link.Outbox.Position;
import io.firstline.agent.link.Outbox.Stored;
import io.firstline.proto.Envelope;
import io.firstline.proto.Inventory;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.TextValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {
    private static final Position END = new Position(Long.MAX_VALUE, 0);
    private static final DiskSpool.Settings SMALL = new DiskSpool.Settings(64 << 10, 4 << 10, Duration.ofSeconds(1), 1 << 20);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC);
    @TempDir
    Path dir;

    static Envelope.Builder sample(int n) {
        Sample.Builder s = Sample.newBuilder().setTimestampMs(n).addSeries(1).addValues(n);
        if (n == 1) {
            s.addNewSeries(SeriesDef.newBuilder().setId(1).setMetric("cpu.usage_ratio"));
        }
        return Envelope.newBuilder().setSample(s);
    }

    private static Envelope.Builder event(String digest) {
        return Envelope.newBuilder().setInventory(Inventory.newBuilder().setDigest(digest));
    }

    private DiskSpool open(long epoch) {
        return DiskSpool.open(dir, DiskSpool.Settings.withCap(1 << 20), clock, epoch);
    }

    private static List<Long> sequences(List<Stored> stored) {
        return stored.stream().map(s -> s.envelope().getSequence()).toList();
    }

    @Test
    void keepsWhatIsNotAcknowledgedAcrossARestartUnderTheOldBootEpoch() {
        try (DiskSpool s = open(100)) {
            for (int i = 1; i <= 5; i++) {
                assertEquals(i, s.append(sample(i)).getSequence());
            }
            s.ack(100, 2);
            s.ackThrough(1);
            assertEquals(3, s.size());
            assertEquals(3, s.oldestPending(100));
        }
        try (DiskSpool s = open(50)) {
            assertEquals(101, s.bootEpoch(), "a new boot epoch is later than every epoch in the spool");
            assertEquals(3, s.recovered());
            List<Stored> old = s.pending(Position.START, END, 10);
            assertEquals(List.of(3L, 4L, 5L), sequences(old));
            assertTrue(old.stream().allMatch(x -> x.bootEpoch() == 100));
            assertEquals(List.of("cpu.usage_ratio"), s.dictionary(100).stream().map(SeriesDef::getMetric).toList());
            assertEquals(1, s.append(sample(9)).getSequence(), "sequences restart with the new boot");
            assertEquals(List.of(5L, 1L), sequences(s.pending(new Position(100, 4), END, 10)));
            s.ack(100, 3);
            s.ack(100, 4);
            s.ack(100, 5);
            assertEquals(List.of(1L), sequences(s.pending(Position.START, END, 10)));
            assertEquals(List.of(), s.earlierEpochs());
        }
    }

    @Test
    void tornTailIsCutAtEveryPossibleByteAndEveryCompleteRecordSurvives() throws IOException {
        try (DiskSpool s = open(100)) {
            for (int i = 1; i <= 3; i++) {
                s.append(sample(i));
            }
        }
        byte[] full = Files.readAllBytes(segments(dir).get(0));
        int lastStart = recordStart(full, 2);
        for (int cut = lastStart; cut < full.length; cut++) {
            Path other = dir.resolve("cut-" + cut);
            Files.createDirectories(other);
            Files.write(Segment.path(other, 1), Arrays.copyOf(full, cut));
            try (DiskSpool s = DiskSpool.open(other, DiskSpool.Settings.withCap(1 << 20), clock, 200)) {
                assertEquals(List.of(1L, 2L), sequences(s.pending(Position.START, END, 10)), "cut at " + cut);
            }
            assertEquals(lastStart, Files.size(Segment.path(other, 1)), "torn tail removed");
        }
    }

    @Test
    void aFlippedBitEndsTheSegmentThere() throws IOException {
        try (DiskSpool s = open(100)) {
            for (int i = 1; i <= 3; i++) {
                s.append(sample(i));
            }
        }
        Path seg = segments(dir).get(0);
        byte[] full = Files.readAllBytes(seg);
        int second = recordStart(full, 1);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (full[second + 20] ^ 0x10)}), second + 20);
        }
        try (DiskSpool s = open(200)) {
            assertEquals(List.of(1L), sequences(s.pending(Position.START, END, 10)));
        }
    }

    @Test
    void overflowDropsOldestSamplesFirstAndKeepsEvents() {
        String pad = "x".repeat(200);
        try (DiskSpool s = DiskSpool.open(dir, SMALL, clock, 100)) {
            s.append(event("first-inventory"));
            for (int i = 0; i < 2_000; i++) {
                s.append(Envelope.newBuilder().setSample(Sample.newBuilder().setTimestampMs(i)
                        .addTexts(TextValue.newBuilder().setSeries(1).setValue(pad))));
            }
            assertTrue(s.bytes() <= (64 << 10) + (4 << 10), "stays near its cap: " + s.bytes());
            assertTrue(s.dropped() > 1_000, "dropped " + s.dropped());
            assertEquals(s.dropped(), s.dropped(100));
            List<Stored> left = s.pending(Position.START, END, 10_000);
            assertEquals(Envelope.BodyCase.INVENTORY, left.get(0).envelope().getBodyCase(), "the event survived");
            assertEquals(1, left.get(0).envelope().getSequence());
            assertEquals(2_001, left.get(left.size() - 1).envelope().getSequence(), "the newest samples are kept");
            assertEquals(1 + 2_000 - s.dropped(), left.size());
        }
        try (DiskSpool s = DiskSpool.open(dir, SMALL, clock, 200)) {
            assertEquals(Envelope.BodyCase.INVENTORY, s.pending(Position.START, END, 1).get(0).envelope().getBodyCase());
            assertTrue(s.dropped(100) > 1_000, "drops are remembered for the report");
        }
    }

    @Test
    void settledSegmentsAreDeleted() throws IOException {
        try (DiskSpool s = DiskSpool.open(dir, SMALL, clock, 100)) {
            for (int i = 1; i <= 500; i++) {
                s.append(sample(i));
            }
            assertTrue(segments(dir).size() > 3);
            s.ackThrough(500);
            assertEquals(0, s.size());
            assertEquals(1, segments(dir).size(), "only the active segment is left");
        }
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static int recordStart(byte[] file, int index) {
        ByteBuffer b = ByteBuffer.wrap(file);
        int pos = 0;
        for (int i = 0; i < index; i++) {
            pos += SpoolRecord.HEADER + b.getInt(pos);
        }
        return pos;
    }
}

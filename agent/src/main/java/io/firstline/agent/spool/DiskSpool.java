package io.firstline.agent.spool;

import io.firstline.agent.link.Outbox;
import io.firstline.proto.Envelope;
import io.firstline.proto.SeriesDef;
import io.firstline.wire.WireProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.firstline.files.PrivateFiles;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's disk spool: every sequenced message is written here before it
 * is sent, and deleted once the console acknowledges it.
 *
 * <p><b>Layout.</b> {@code DIR/NNN.seg} segment files of {@link SpoolRecord}s
 * (CRC32C each), one boot epoch per segment, a new segment every
 * {@code segmentBytes}; {@code NNN.acks} beside each marks records
 * acknowledged or dropped; {@code epoch-E.dict} keeps each boot epoch's series
 * definitions for replay. A segment whose records are all settled is deleted.
 *
 * <p><b>Durability (fsync policy).</b> Each record is handed to the operating
 * system before {@link #append} returns, so killing the agent loses nothing
 * it appended. Events (anything sequenced that is not a sample) are fsynced
 * at once; samples at most every {@code syncInterval} (1 s by default), so a
 * power loss can lose up to that much of the latest samples. Acknowledgement
 * marks are not fsynced: after a power loss a few acknowledged records may be
 * sent again, and the console drops them as duplicates.
 *
 * <p><b>Overflow.</b> When the segments exceed {@code capBytes} (64 MiB by
 * default) the oldest samples are dropped first, segment by segment, and the
 * events of those segments are kept (the segment is rewritten with its events
 * only). Only when nothing but events is left are the oldest events dropped.
 * Drops are counted per boot epoch and reported to the console.
 *
 * <p><b>Recovery.</b> On open every segment is read; the first record that is
 * cut short or fails its checksum ends the segment and the rest is cut off.
 * The new boot epoch is later than every epoch in the spool, so sequences of
 * the new boot never collide with what is waiting from the old ones.
 *
 * <p>Not thread-safe: the link's event loop is its only user.
 */
public final class DiskSpool implements Outbox, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiskSpool.class);

    /** Size limits and the sync interval. */
    public record Settings(long capBytes, long segmentBytes, Duration syncInterval, int maxEnvelopeBytes) {
        public static final long DEFAULT_CAP = 64L << 20;

        public Settings {
            if (capBytes < 64 << 10) {
                throw new IllegalArgumentException("spool cap must be at least 64 KiB, got " + capBytes);
            }
            if (segmentBytes < 4 << 10 || segmentBytes > capBytes / 4) {
                throw new IllegalArgumentException("segment size must be 4 KiB to a quarter of the cap, got " + segmentBytes);
            }
        }

        public static Settings defaults() {
            return withCap(DEFAULT_CAP);
        }

        /** A cap with segments of a sixteenth of it (at most 4 MiB). */
        public static Settings withCap(long capBytes) {
            return new Settings(capBytes, Math.max(4 << 10, Math.min(4L << 20, capBytes / 16)), Duration.ofSeconds(1),
                    WireProtocol.DEFAULT_MAX_FRAME_BYTES);
        }
    }

    private final Path dir;
    private final Settings settings;
    private final Clock clock;
    private final long bootEpoch;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final DropCounts droppedByEpoch;
    private final FileChannel dictionary;
    private Segment active;
    private long nextSegmentId;
    private long lastSequence;
    private long totalBytes;
    private long droppedSinceStart;
    private long lastSyncMs;
    private long recoveredRecords;
    private long discardedBytes;
    private boolean closed;

    private DiskSpool(Path dir, Settings settings, Clock clock, long proposedEpoch) throws IOException {
        this.dir = dir;
        this.settings = settings;
        this.clock = clock;
        PrivateFiles.directories(dir);
        long[] discarded = new long[1];
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path f : files) {
                long id = Long.parseLong(f.getFileName().toString().replace(".seg", ""));
                segments.put(id, Segment.recover(f, id, settings.maxEnvelopeBytes(), discarded));
            }
        } catch (NumberFormatException e) {
            throw new IOException("unexpected file in spool directory " + dir + ": " + e.getMessage(), e);
        }
        discardedBytes = discarded[0];
        long maxEpoch = 0;
        for (Segment s : List.copyOf(segments.values())) {
            if (s.pending() == 0) {
                segments.remove(s.id).delete();
                continue;
            }
            recoveredRecords += s.pending();
            totalBytes += s.size();
            maxEpoch = Math.max(maxEpoch, s.epoch());
        }
        droppedByEpoch = new DropCounts(dir);
        droppedByEpoch.retain(segments.values().stream().map(Segment::epoch).toList());
        nextSegmentId = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        this.bootEpoch = Math.max(proposedEpoch, maxEpoch + 1);
        deleteOrphanDictionaries();
        this.dictionary = EpochDictionary.openForAppend(dir, bootEpoch);
        this.lastSyncMs = clock.millis();
    }

    /**
     * Opens (or creates) the spool in {@code dir} and starts a new boot epoch,
     * {@code proposedEpoch} unless an earlier boot left a later one behind
     * (the clock went back).
     */
    public static DiskSpool open(Path dir, Settings settings, Clock clock, long proposedEpoch) {
        try {
            DiskSpool s = new DiskSpool(dir, settings, clock, proposedEpoch);
            if (s.recoveredRecords > 0 || s.discardedBytes > 0) {
                log.info("spool {}: {} unacknowledged messages recovered from earlier runs, {} torn bytes discarded",
                        dir, s.recoveredRecords, s.discardedBytes);
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void deleteOrphanDictionaries() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "epoch-*.dict")) {
            for (Path f : files) {
                long epoch = Long.parseLong(f.getFileName().toString().replace("epoch-", "").replace(".dict", ""));
                if (segments.values().stream().noneMatch(s -> s.epoch() == epoch)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    @Override
    public long bootEpoch() {
        return bootEpoch;
    }

    /** Messages recovered from earlier runs when the spool was opened. */
    public long recovered() {
        return recoveredRecords;
    }

    /** Bytes on disk in segments. */
    public long bytes() {
        return totalBytes;
    }

    @Override
    public Envelope append(Envelope.Builder message) {
        Envelope e = message.setSequence(lastSequence + 1).build();
        boolean event = e.getBodyCase() != Envelope.BodyCase.SAMPLE;
        try {
            if (!event && e.getSample().getNewSeriesCount() > 0) {
                EpochDictionary.append(dictionary, e.getSample().getNewSeriesList());
            }
            if (active == null || active.size() >= settings.segmentBytes()) {
                if (active != null) {
                    active.sync();
                }
                active = Segment.create(dir, nextSegmentId, bootEpoch);
                segments.put(nextSegmentId++, active);
            }
            long before = active.size();
            active.append(e.getSequence(), event ? SpoolRecord.EVENT : SpoolRecord.SAMPLE,
                    SpoolRecord.encode(bootEpoch, event ? SpoolRecord.EVENT : SpoolRecord.SAMPLE, e.toByteArray()));
            totalBytes += active.size() - before;
            long now = clock.millis();
            if (event || now - lastSyncMs >= settings.syncInterval().toMillis()) {
                active.sync();
                dictionary.force(false);
                lastSyncMs = now;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write to the spool in " + dir + ": " + ex.getMessage(), ex);
        }
        lastSequence = e.getSequence();
        enforceCap();
        return e;
    }

    private void enforceCap() {
        // Pass 1: drop samples, oldest segment first, keeping events.
        for (Segment s : List.copyOf(segments.values())) {
            if (totalBytes <= settings.capBytes()) {
                return;
            }
            if (s == active) {
                break;
            }
            if (s.pending() > s.pendingEvents()) {
                dropWhere(s, SpoolRecord.SAMPLE);
                if (s.pending() > 0) {
                    compact(s);
                }
            }
        }
        // Pass 2: only events are left in the closed segments; drop the oldest.
        for (Segment s : List.copyOf(segments.values())) {
            if (totalBytes <= settings.capBytes() || s == active) {
                return;
            }
            dropWhere(s, SpoolRecord.EVENT);
        }
    }

    private void dropWhere(Segment s, byte kind) {
        int n = 0;
        for (int i = 0; i < s.count(); i++) {
            if (s.kind(i) == kind && s.mark(i, Segment.DROPPED)) {
                n++;
            }
        }
        if (n > 0) {
            droppedSinceStart += n;
            droppedByEpoch.add(s.epoch(), n);
            log.warn("spool over its cap of {} bytes: dropped {} {} of boot {}", settings.capBytes(), n,
                    kind == SpoolRecord.SAMPLE ? "samples" : "events", s.epoch());
        }
        settleIfDone(s);
    }

    /** Rewrites {@code s} with only its pending records (events, after pass 1), freeing the samples' bytes. */
    private void compact(Segment s) {
        Path tmp = s.file.resolveSibling(s.file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            long id = s.id;
            try (FileChannel out = PrivateFiles.open(tmp, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                for (int i = 0; i < s.count(); i++) {
                    if (s.state(i) == Segment.PENDING) {
                        var b = SpoolRecord.encode(s.epoch(), s.kind(i), s.read(i).toByteArray());
                        while (b.hasRemaining()) {
                            out.write(b);
                        }
                    }
                }
                out.force(true);
            }
            long oldSize = s.size();
            s.delete();
            Files.move(tmp, s.file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Segment fresh = Segment.recover(s.file, id, settings.maxEnvelopeBytes(), new long[1]);
            segments.put(id, fresh);
            totalBytes += fresh.size() - oldSize;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact spool segment " + s.file + ": " + e.getMessage(), e);
        }
    }

    private void settleIfDone(Segment s) {
        if (s.pending() == 0 && s != active) {
            segments.remove(s.id);
            totalBytes -= s.size();
            s.delete();
            long epoch = s.epoch();
            if (epoch != bootEpoch && segments.values().stream().noneMatch(x -> x.epoch() == epoch)) {
                try {
                    Files.deleteIfExists(EpochDictionary.path(dir, epoch));
                } catch (IOException e) {
                    log.debug("cannot delete dictionary of boot {}: {}", epoch, e.toString());
                }
            }
        }
    }

    @Override
    public List<Stored> pending(Position after, Position before, int max) {
        List<Stored> out = new ArrayList<>();
        for (Segment s : segments.values()) {
            if (s.count() == 0 || new Position(s.epoch(), s.lastSeq()).compareTo(after) <= 0) {
                continue;
            }
            int i = s.epoch() == after.bootEpoch() ? s.firstAfter(after.sequence()) : 0;
            for (; i < s.count(); i++) {
                Position p = new Position(s.epoch(), s.seq(i));
                if (p.compareTo(before) >= 0) {
                    return out;
                }
                if (s.state(i) == Segment.PENDING) {
                    out.add(new Stored(s.epoch(), s.read(i)));
                    if (out.size() >= max) {
                        return out;
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void ack(long epoch, long sequence) {
        for (Segment s : segments.values()) {
            if (s.epoch() == epoch && s.count() > 0 && s.seq(0) <= sequence && sequence <= s.lastSeq()) {
                int i = s.indexOf(sequence);
                if (i >= 0) {
                    s.mark(i, Segment.ACKED);
                    settleIfDone(s);
                }
                return;
            }
        }
    }

    @Override
    public void ackThrough(long sequence) {
        for (Segment s : List.copyOf(segments.values())) {
            if (s.epoch() != bootEpoch) {
                continue;
            }
            for (int i = 0; i < s.count() && s.seq(i) <= sequence; i++) {
                s.mark(i, Segment.ACKED);
            }
            settleIfDone(s);
        }
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }

    @Override
    public long dropped() {
        return droppedSinceStart;
    }

    @Override
    public long dropped(long epoch) {
        return droppedByEpoch.get(epoch);
    }

    @Override
    public long oldestPending(long epoch) {
        for (Segment s : segments.values()) {
            if (s.epoch() == epoch) {
                for (int i = 0; i < s.count(); i++) {
                    if (s.state(i) == Segment.PENDING) {
                        return s.seq(i);
                    }
                }
            }
        }
        return 0;
    }

    @Override
    public List<SeriesDef> dictionary(long epoch) {
        return EpochDictionary.read(dir, epoch);
    }

    /** The earlier boot epochs that still have messages waiting, oldest first. */
    public List<Long> earlierEpochs() {
        return segments.values().stream().map(Segment::epoch).filter(e -> e != bootEpoch).distinct().sorted().toList();
    }

    @Override
    public int size() {
        int n = 0;
        for (Segment s : segments.values()) {
            n += s.pending();
        }
        return n;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (active != null) {
                active.sync();
            }
            dictionary.force(false);
            dictionary.close();
        } catch (IOException e) {
            log.warn("closing spool: {}", e.toString());
        }
        for (Segment s : segments.values()) {
            s.close();
        }
    }
}

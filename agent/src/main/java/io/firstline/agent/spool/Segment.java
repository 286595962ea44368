package io.firstline.agent.spool;

import com.google.protobuf.InvalidProtocolBufferException;
import io.firstline.proto.Envelope;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import io.firstline.files.PrivateFiles;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment file of the spool ({@code NNNNNNNNNNNNNNNNNNNN.seg}) and its
 * state file ({@code .acks}: one byte per record, 0 pending, 1 acknowledged,
 * 2 dropped). All records of a segment belong to one boot epoch, in rising
 * sequence order. The index (sequence, offset, kind, state) lives in memory,
 * about 14 bytes per record; the envelopes stay on disk until replayed.
 */
final class Segment implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Segment.class);
    static final byte PENDING = 0;
    static final byte ACKED = 1;
    static final byte DROPPED = 2;

    final long id;
    final Path file;
    private final Path stateFile;
    private final FileChannel data;
    private final FileChannel states;
    private long epoch;
    private long[] seqs = new long[64];
    private int[] offsets = new int[64];
    private byte[] kinds = new byte[64];
    private byte[] state = new byte[64];
    private int count;
    private int pending;
    private int pendingEvents;
    private long size;

    private Segment(long id, Path file, long epoch) throws IOException {
        this.id = id;
        this.file = file;
        this.stateFile = file.resolveSibling(file.getFileName().toString().replace(".seg", ".acks"));
        this.epoch = epoch;
        this.data = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.states = PrivateFiles.open(stateFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    static Path path(Path dir, long id) {
        return dir.resolve(String.format("%020d.seg", id));
    }

    static Segment create(Path dir, long id, long epoch) throws IOException {
        Segment s = new Segment(id, path(dir, id), epoch);
        s.data.truncate(0);
        s.states.truncate(0);
        return s;
    }

    /**
     * Opens an existing segment, reading every intact record and cutting the
     * file after the last one (a torn tail from a crash is discarded).
     *
     * @return the number of bytes discarded
     */
    static Segment recover(Path file, long id, int maxEnvelope, long[] discarded) throws IOException {
        Segment s = new Segment(id, file, 0);
        long end = s.data.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(SpoolRecord.HEADER);
        while (pos + SpoolRecord.HEADER <= end) {
            header.clear();
            readFully(s.data, header, pos);
            int length = header.getInt(0);
            int crc = header.getInt(4);
            if (!SpoolRecord.plausible(length, maxEnvelope) || pos + SpoolRecord.HEADER + length > end) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(s.data, body, pos + SpoolRecord.HEADER);
            if (!SpoolRecord.intact(crc, body.array())) {
                break;
            }
            long recordEpoch = body.getLong(0);
            long seq = sequenceOf(body.array());
            if (seq <= 0 || (s.epoch != 0 && (recordEpoch != s.epoch || seq <= s.seqs[s.count - 1]))) {
                break;
            }
            s.epoch = recordEpoch;
            s.add(seq, (int) pos, body.get(8));
            pos += SpoolRecord.HEADER + length;
        }
        if (pos < end) {
            log.warn("spool segment {}: discarding {} bytes after the last intact record (torn write)", file.getFileName(), end - pos);
            s.data.truncate(pos);
            s.data.force(true);
            discarded[0] += end - pos;
        }
        s.size = pos;
        ByteBuffer marks = ByteBuffer.allocate((int) Math.min(s.states.size(), s.count));
        readFully(s.states, marks, 0);
        for (int i = 0; i < marks.limit(); i++) {
            byte st = marks.get(i);
            if (st == ACKED || st == DROPPED) {
                s.settle(i, st);
            }
        }
        return s;
    }

    private static long sequenceOf(byte[] body) {
        try {
            return Envelope.parseFrom(ByteBuffer.wrap(body, SpoolRecord.PREFIX, body.length - SpoolRecord.PREFIX)).getSequence();
        } catch (InvalidProtocolBufferException e) {
            return -1;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                break;
            }
        }
        b.flip();
    }

    private void add(long seq, int offset, byte kind) {
        if (count == seqs.length) {
            int n = count * 2;
            seqs = Arrays.copyOf(seqs, n);
            offsets = Arrays.copyOf(offsets, n);
            kinds = Arrays.copyOf(kinds, n);
            state = Arrays.copyOf(state, n);
        }
        seqs[count] = seq;
        offsets[count] = offset;
        kinds[count] = kind;
        state[count] = PENDING;
        count++;
        pending++;
        if (kind == SpoolRecord.EVENT) {
            pendingEvents++;
        }
    }

    /** Appends one encoded record; the bytes are in the operating system's hands when this returns. */
    void append(long seq, byte kind, ByteBuffer record) throws IOException {
        int offset = (int) size;
        long pos = size;
        while (record.hasRemaining()) {
            pos += data.write(record, pos);
        }
        size = pos;
        add(seq, offset, kind);
    }

    void sync() throws IOException {
        data.force(false);
    }

    Envelope read(int index) {
        try {
            long pos = offsets[index];
            ByteBuffer header = ByteBuffer.allocate(SpoolRecord.HEADER);
            readFully(data, header, pos);
            ByteBuffer body = ByteBuffer.allocate(header.getInt(0));
            readFully(data, body, pos + SpoolRecord.HEADER);
            return Envelope.parseFrom(ByteBuffer.wrap(body.array(), SpoolRecord.PREFIX, body.limit() - SpoolRecord.PREFIX));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spool segment " + file, e);
        }
    }

    /** Marks record {@code index} acknowledged or dropped; returns false if it already was. */
    boolean mark(int index, byte newState) {
        if (state[index] != PENDING) {
            return false;
        }
        settle(index, newState);
        try {
            states.write(ByteBuffer.wrap(new byte[] {newState}), index);
        } catch (IOException e) {
            // Not fatal: the record is replayed after a restart and the console drops the duplicate.
            log.warn("cannot record acknowledgement in {}: {}", stateFile, e.toString());
        }
        return true;
    }

    private void settle(int index, byte newState) {
        state[index] = newState;
        pending--;
        if (kinds[index] == SpoolRecord.EVENT) {
            pendingEvents--;
        }
    }

    /** Index of {@code seq} in this segment, or a negative number. */
    int indexOf(long seq) {
        return Arrays.binarySearch(seqs, 0, count, seq);
    }

    /** Index of the first record with a sequence above {@code seq}. */
    int firstAfter(long seq) {
        int i = Arrays.binarySearch(seqs, 0, count, seq);
        return i >= 0 ? i + 1 : -i - 1;
    }

    long epoch() {
        return epoch;
    }

    int count() {
        return count;
    }

    long seq(int i) {
        return seqs[i];
    }

    byte kind(int i) {
        return kinds[i];
    }

    byte state(int i) {
        return state[i];
    }

    int pending() {
        return pending;
    }

    int pendingEvents() {
        return pendingEvents;
    }

    long size() {
        return size;
    }

    long lastSeq() {
        return count == 0 ? 0 : seqs[count - 1];
    }

    @Override
    public void close() {
        try {
            data.close();
            states.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", file, e.toString());
        }
    }

    void delete() {
        close();
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            log.warn("cannot delete spool segment {}: {}", file, e.toString());
        }
    }
}

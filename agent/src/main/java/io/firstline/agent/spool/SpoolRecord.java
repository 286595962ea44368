package io.firstline.agent.spool;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk form of one spooled message. A segment file is a run of
 *
 * <pre>
 *   0       4       8              16     17                 8 + length
 *   +-------+-------+--------------+------+-------------------+
 *   |length | crc32c| boot epoch   | kind | Envelope (protobuf)|
 *   +-------+-------+--------------+------+-------------------+
 *   length: uint32 big-endian, bytes after the crc (9 + envelope)
 *   crc32c: over those same `length` bytes
 *   kind:   0 sample, 1 event (anything sequenced that is not a sample)
 * </pre>
 *
 * <p>A record whose length is impossible, whose bytes end early or whose
 * checksum does not match ends the readable part of a segment: recovery cuts
 * the file there (the torn tail of a write interrupted by a crash).
 */
final class SpoolRecord {
    static final int HEADER = 8;
    static final int PREFIX = 9;
    static final byte SAMPLE = 0;
    static final byte EVENT = 1;

    private SpoolRecord() {
    }

    /** The whole record, ready to write. */
    static ByteBuffer encode(long bootEpoch, byte kind, byte[] envelope) {
        int length = PREFIX + envelope.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + length);
        b.putInt(length).putInt(0).putLong(bootEpoch).put(kind).put(envelope);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), HEADER, length);
        b.putInt(4, (int) crc.getValue());
        return b.flip();
    }

    /** Whether {@code length} from a record header can be a real record no larger than {@code maxEnvelope}. */
    static boolean plausible(int length, int maxEnvelope) {
        return length >= PREFIX + 1 && length <= PREFIX + maxEnvelope;
    }

    /** Checks the body (the {@code length} bytes after the header) against the stored checksum. */
    static boolean intact(int storedCrc, byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        return (int) crc.getValue() == storedCrc;
    }
}

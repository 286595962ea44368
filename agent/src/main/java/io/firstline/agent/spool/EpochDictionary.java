package io.firstline.agent.spool;

import com.google.protobuf.InvalidProtocolBufferException;
import io.firstline.files.PrivateFiles;
import io.firstline.proto.SeriesDef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The series definitions of one boot epoch ({@code epoch-E.dict}), kept so
 * that samples of an earlier boot can still be read when they are replayed
 * after a restart: their {@code new_series} may have been acknowledged and
 * deleted long ago. Same record format as a segment (kind 2, the body a
 * {@link SeriesDef}); a torn tail is ignored.
 */
final class EpochDictionary {
    static final byte KIND = 2;

    private EpochDictionary() {
    }

    static Path path(Path dir, long epoch) {
        return dir.resolve("epoch-" + epoch + ".dict");
    }

    static void append(FileChannel ch, List<SeriesDef> defs) throws IOException {
        for (SeriesDef d : defs) {
            ByteBuffer b = SpoolRecord.encode(0, KIND, d.toByteArray());
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    static FileChannel openForAppend(Path dir, long epoch) throws IOException {
        return PrivateFiles.append(path(dir, epoch));
    }

    static List<SeriesDef> read(Path dir, long epoch) {
        Path file = path(dir, epoch);
        List<SeriesDef> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
            while (all.remaining() >= SpoolRecord.HEADER) {
                int length = all.getInt(all.position());
                int crc = all.getInt(all.position() + 4);
                if (!SpoolRecord.plausible(length, 1 << 16) || all.remaining() < SpoolRecord.HEADER + length) {
                    break;
                }
                byte[] body = new byte[length];
                all.get(all.position() + SpoolRecord.HEADER, body);
                if (!SpoolRecord.intact(crc, body)) {
                    break;
                }
                out.add(SeriesDef.parseFrom(ByteBuffer.wrap(body, SpoolRecord.PREFIX, length - SpoolRecord.PREFIX)));
                all.position(all.position() + SpoolRecord.HEADER + length);
            }
            return out;
        } catch (InvalidProtocolBufferException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

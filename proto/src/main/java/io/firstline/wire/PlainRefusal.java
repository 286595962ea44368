package io.firstline.wire;

import io.firstline.proto.Envelope;
import io.firstline.proto.Refuse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.Optional;

/**
 * The one message the console sends outside TLS: {@code Refuse(OVERLOADED)}
 * to a connection it will not serve now, written before any handshake so an
 * overloaded console spends no crypto on it. It is an ordinary frame:
 *
 * <pre>
 *   0        4                       4 + length
 *   +--------+-----------------------+
 *   | length | Envelope{Refuse}      |   length: uint32, big-endian, at most MAX_BYTES
 *   +--------+-----------------------+
 * </pre>
 *
 * <p>Its first byte is the top byte of a small length, so 0; the first byte
 * of a TLS record is its content type (20 to 24, a handshake 22), never 0.
 * That one byte tells the agent which of the two it is reading.
 */
public final class PlainRefusal {
    /** The first byte of a plain refusal; a TLS record never starts with it. */
    public static final int FIRST_BYTE = 0;
    /** A plain refusal's Envelope is a few dozen bytes; a longer one is not a refusal. */
    public static final int MAX_BYTES = 1024;

    private PlainRefusal() {
    }

    /** The framed refusal, ready to write on a connection without TLS. */
    public static ByteBuf encode(ByteBufAllocator alloc, Refuse refuse) {
        byte[] body = Envelope.newBuilder().setRefuse(refuse).build().toByteArray();
        if (body.length > MAX_BYTES) {
            throw new IllegalArgumentException("a plain refusal is at most " + MAX_BYTES + " bytes, this one " + body.length);
        }
        ByteBuf out = alloc.buffer(4 + body.length);
        out.writeInt(body.length);
        out.writeBytes(body);
        return out;
    }

    /** Whether a connection whose first byte is {@code first} carries a plain refusal rather than TLS. */
    public static boolean startsPlainRefusal(byte first) {
        return first == FIRST_BYTE;
    }

    /**
     * Reads one plain refusal from the start of {@code in} (which must start
     * with {@link #FIRST_BYTE}): empty, with nothing consumed, while the
     * frame is not whole yet; the {@code Refuse}, with its frame consumed,
     * once it is. Both readers of the agent use it: the link's Netty decoder
     * and enrollment's blocking socket.
     *
     * @throws CorruptedFrameException as soon as the length says more than
     *     {@link #MAX_BYTES}, or when the frame is not an Envelope with a Refuse
     */
    public static Optional<Refuse> decode(ByteBuf in) {
        if (in.readableBytes() < 4) {
            return Optional.empty();
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length > MAX_BYTES) {
            throw new CorruptedFrameException("the console sent " + length + " bytes without TLS; a refusal is at most " + MAX_BYTES);
        }
        if (in.readableBytes() < 4 + length) {
            return Optional.empty();
        }
        in.skipBytes(4);
        Envelope e = EnvelopeDecoder.parse(in.readSlice((int) length));
        if (!e.hasRefuse()) {
            throw new CorruptedFrameException("the console sent " + e.getBodyCase() + " without TLS; only a Refuse comes so");
        }
        return Optional.of(e.getRefuse());
    }
}

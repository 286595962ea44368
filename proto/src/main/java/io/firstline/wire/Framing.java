package io.firstline.wire;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * Installs the agent-link framing on a pipeline. One frame is
 *
 * <pre>
 *   0       4                       4 + length
 *   +-------+-----------------------+
 *   |length | Envelope (protobuf)   |   length: uint32, big-endian,
 *   +-------+-----------------------+           at most maxFrameBytes
 * </pre>
 *
 * <p>The cap is on the body (the Envelope), not counting the 4-byte length:
 * with the default 1 MiB, a body of exactly 1,048,576 bytes is accepted and
 * a length of 1,048,577 or more closes the connection at once.
 *
 * <p>Inbound: {@code frameDecoder} cuts frames and fails fast on an oversize
 * length; {@code envelopeDecoder} parses them. Outbound: {@code envelopeEncoder}
 * serialises and {@code framePrepender} adds the length. We do not use
 * {@code ProtobufVarint32FrameDecoder}: in netty 4.2.18 it can emit an empty
 * frame when a varint prefix is split after three bytes (netty issue 17549).
 */
public final class Framing {
    public static final String FRAME_DECODER = "frameDecoder";
    public static final String ENVELOPE_DECODER = "envelopeDecoder";
    public static final String FRAME_PREPENDER = "framePrepender";
    public static final String ENVELOPE_ENCODER = "envelopeEncoder";
    private static final int LENGTH_BYTES = 4;

    private Framing() {
    }

    /** Adds the four codec handlers at the end of {@code pipeline}. */
    public static void addCodec(ChannelPipeline pipeline, int maxFrameBytes) {
        if (maxFrameBytes < 16 || maxFrameBytes > Integer.MAX_VALUE - LENGTH_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be between 16 and 2^31 - 5, got " + maxFrameBytes);
        }
        // Netty's limit counts the length field too; ours is the body's.
        pipeline.addLast(FRAME_DECODER, new LengthFieldBasedFrameDecoder(maxFrameBytes + LENGTH_BYTES, 0, LENGTH_BYTES, 0,
                LENGTH_BYTES, true));
        pipeline.addLast(ENVELOPE_DECODER, new EnvelopeDecoder());
        pipeline.addLast(FRAME_PREPENDER, new LengthFieldPrepender(LENGTH_BYTES));
        pipeline.addLast(ENVELOPE_ENCODER, new EnvelopeEncoder(maxFrameBytes));
    }
}

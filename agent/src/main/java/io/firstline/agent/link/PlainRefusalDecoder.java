package io.firstline.agent.link;

import io.firstline.proto.Envelope;
import io.firstline.wire.EnvelopeDecoder;
import io.firstline.wire.PlainRefusal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * First on the agent's pipeline, in front of TLS, it reads the first byte
 * the console sends. A TLS record: this handler steps aside and hands every
 * byte to TLS. A 0: the console refused the connection before any handshake
 * because too many agents are connecting ({@link PlainRefusal}); the frame
 * is cut and parsed here and its {@code Refuse} passed up to the session
 * handler as an {@link Envelope}, which obeys its retry hint and closes.
 */
final class PlainRefusalDecoder extends ByteToMessageDecoder {
    private boolean refused;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!in.isReadable()) {
            return;
        }
        if (!PlainRefusal.startsPlainRefusal(in.getByte(in.readerIndex()))) {
            ctx.pipeline().remove(this); // what this decoder holds goes on to TLS
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length > PlainRefusal.MAX_BYTES) {
            done(in);
            throw new CorruptedFrameException("the console sent " + length + " bytes without TLS; a refusal is at most "
                    + PlainRefusal.MAX_BYTES);
        }
        if (in.readableBytes() < 4 + length) {
            return;
        }
        in.skipBytes(4);
        Envelope e;
        try {
            e = EnvelopeDecoder.parse(in.readSlice((int) length));
        } finally {
            done(in);
        }
        if (!e.hasRefuse()) {
            throw new CorruptedFrameException("the console sent " + e.getBodyCase() + " without TLS; only a Refuse comes so");
        }
        out.add(e);
    }

    /** Whatever follows a plain frame (or a bad one) is dropped: the connection is over. */
    private void done(ByteBuf in) {
        refused = true;
        in.skipBytes(in.readableBytes());
    }
}

package io.firstline.agent.link;

import io.firstline.proto.Envelope;
import io.firstline.proto.Refuse;
import io.firstline.wire.PlainRefusal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Optional;

/**
 * First on the agent's pipeline, in front of TLS, it reads the first byte
 * the console sends. A TLS record: this handler steps aside and hands every
 * byte to TLS. A 0: the console refused the connection before any handshake
 * because too many agents are connecting ({@link PlainRefusal}); the frame
 * is cut and parsed by {@link PlainRefusal#decode} (which enrollment's
 * blocking socket uses too) and its {@code Refuse} passed up to the session
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
        Optional<Refuse> refusal;
        try {
            refusal = PlainRefusal.decode(in);
        } catch (RuntimeException e) {
            done(in);
            throw e;
        }
        if (refusal.isPresent()) {
            done(in);
            out.add(Envelope.newBuilder().setRefuse(refusal.get()).build());
        }
    }

    /** Whatever follows a plain frame (or a bad one) is dropped: the connection is over. */
    private void done(ByteBuf in) {
        refused = true;
        in.skipBytes(in.readableBytes());
    }
}

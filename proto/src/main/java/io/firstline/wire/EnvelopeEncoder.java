package io.firstline.wire;

import io.firstline.proto.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.io.IOException;
import java.util.List;

/**
 * Serialises an {@link Envelope}; the {@code framePrepender} after it adds the
 * length. Refuses an envelope the peer would reject as oversize, so the
 * failure shows on the side that made it.
 */
public final class EnvelopeEncoder extends MessageToMessageEncoder<Envelope> {
    private final int maxFrameBytes;

    public EnvelopeEncoder(int maxFrameBytes) {
        super(Envelope.class);
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope envelope, List<Object> out) {
        int size = envelope.getSerializedSize();
        if (size > maxFrameBytes) {
            throw new EncoderException("envelope of " + size + " bytes exceeds the frame cap of "
                    + maxFrameBytes + " bytes (" + envelope.getBodyCase() + ")");
        }
        ByteBuf buf = ctx.alloc().buffer(size, size);
        try {
            envelope.writeTo(new ByteBufOutputStream(buf));
        } catch (IOException e) {
            buf.release();
            throw new EncoderException(e);
        }
        out.add(buf);
    }
}

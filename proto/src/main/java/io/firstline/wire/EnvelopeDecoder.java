package io.firstline.wire;

import com.google.protobuf.CodedInputStream;
import io.firstline.proto.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.io.IOException;
import java.util.List;

/**
 * Parses one frame (already cut by the length decoder) into an {@link Envelope}.
 * Bytes that are not an Envelope raise {@link CorruptedFrameException}, which
 * {@link WireRejection#classify} reports as {@code malformed}.
 */
public final class EnvelopeDecoder extends MessageToMessageDecoder<ByteBuf> {

    public EnvelopeDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(parse(frame));
    }

    /** Parses exactly the readable bytes of {@code frame}. */
    public static Envelope parse(ByteBuf frame) {
        try {
            CodedInputStream in = frame.nioBufferCount() == 1
                    ? CodedInputStream.newInstance(frame.nioBuffer())
                    : CodedInputStream.newInstance(ByteBufs.copy(frame));
            Envelope envelope = Envelope.parseFrom(in);
            in.checkLastTagWas(0);
            return envelope;
        } catch (IOException e) {
            throw new CorruptedFrameException("frame of " + frame.readableBytes()
                    + " bytes is not an Envelope: " + e.getMessage(), e);
        }
    }
}

package io.firstline.console.ingest;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Counts raw bytes as they arrive, before framing. Stateless, so shared by all connections. */
@Sharable
final class ByteCounter extends ChannelInboundHandlerAdapter {
    private final Counter bytes;

    ByteCounter(Counter bytes) {
        this.bytes = bytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            bytes.increment(b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }
}

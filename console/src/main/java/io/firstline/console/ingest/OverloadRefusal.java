package io.firstline.console.ingest;

import io.firstline.proto.Refuse;
import io.firstline.wire.PlainRefusal;
import io.firstline.wire.WireProtocol;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline of a connection refused because too many handshakes
 * are in progress: a plain {@code Refuse(OVERLOADED)} ({@link PlainRefusal})
 * with the connection's return slot, then a half-close. Whatever the agent
 * sent (its TLS ClientHello) is read and dropped, so the close is an orderly
 * FIN rather than a reset that could discard the refusal before the agent
 * reads it; the connection ends when the agent closes its side, or after
 * {@link #LINGER_MS} at the latest.
 */
final class OverloadRefusal extends ChannelInboundHandlerAdapter {
    static final long LINGER_MS = 2_000;

    private final ReturnSlots.Slot slot;
    private boolean sent;

    OverloadRefusal(ReturnSlots.Slot slot) {
        this.slot = slot;
    }

    /** The refusal this handler sends. */
    static Refuse refusal(ReturnSlots.Slot slot) {
        return Refuse.newBuilder().setReason(Refuse.Reason.OVERLOADED)
                .setMessage("too many agents are connecting at once; come back in " + slot.retryAfterMs() + " ms")
                .setMinProtocolVersion(WireProtocol.MIN_VERSION).setMaxProtocolVersion(WireProtocol.VERSION)
                .setRetryAfterMs((int) slot.retryAfterMs()).setRetrySpreadMs((int) slot.spreadMs()).build();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            refuse(ctx); // a connection that waited for a handshake slot too long (HandshakeLimiter)
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        refuse(ctx);
        ctx.fireChannelActive();
    }

    private void refuse(ChannelHandlerContext ctx) {
        if (sent) {
            return;
        }
        sent = true;
        ctx.writeAndFlush(PlainRefusal.encode(ctx.alloc(), refusal(slot))).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && f.channel() instanceof DuplexChannel d) {
                d.shutdownOutput();
            } else {
                f.channel().close();
            }
        });
        ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}

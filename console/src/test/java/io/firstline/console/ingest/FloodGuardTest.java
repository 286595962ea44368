package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.wire.WireRejection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The per-connection rate limit, on a fake clock. */
class FloodGuardTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<Throwable> raised = new AtomicReference<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new FloodGuard(10, 20, 1_000, 2_000, nanos::get), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                raised.set(cause);
            }
        });
    }

    private static ByteBuf frame(int size) {
        return Unpooled.buffer(size).writeZero(size);
    }

    @Test
    void aBurstWithinTheLimitPassesAndTheNextFrameIsRefused() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 20; i++) {
            assertTrue(ch.writeInbound(frame(10)));
            ((ByteBuf) ch.readInbound()).release();
        }
        assertNull(raised.get());
        ch.writeInbound(frame(10));
        assertEquals(WireRejection.RATE_LIMITED, FloodGuard.classify(raised.get()));
        ch.finishAndReleaseAll();
    }

    @Test
    void theBucketRefillsWithTime() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 20; i++) {
            ch.writeInbound(frame(10));
        }
        nanos.addAndGet(1_000_000_000L); // one second: ten more frames
        for (int i = 0; i < 10; i++) {
            ch.writeInbound(frame(10));
        }
        assertNull(raised.get());
        ch.finishAndReleaseAll();
    }

    @Test
    void bytesAreLimitedToo() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(frame(1_500));
        assertNull(raised.get());
        ch.writeInbound(frame(600));
        assertEquals(WireRejection.RATE_LIMITED, FloodGuard.classify(raised.get()));
        ch.finishAndReleaseAll();
    }
}

package io.firstline.console.ingest;

import io.firstline.wire.WireRejection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.LongSupplier;

/**
 * Per-connection rate limit on the agent link: two token buckets, frames
 * and bytes, checked as each frame is cut and before it is parsed. An agent
 * sends a sample every interval plus a backfill of at most a few dozen
 * messages a second, so the defaults (200 frames/s with bursts of 2,000;
 * 2 MiB/s with bursts of 16 MiB) leave ample room, while a flood ends with
 * {@code reason="rate_limited"} and only its own connection closed.
 */
final class FloodGuard extends ChannelInboundHandlerAdapter {
    static final double FRAMES_PER_SECOND = 200;
    static final double FRAME_BURST = 2_000;
    static final double BYTES_PER_SECOND = 2 << 20;
    static final double BYTE_BURST = 16 << 20;

    private final Bucket frames;
    private final Bucket bytes;
    private final LongSupplier nanoTime;

    FloodGuard(LongSupplier nanoTime) {
        this(FRAMES_PER_SECOND, FRAME_BURST, BYTES_PER_SECOND, BYTE_BURST, nanoTime);
    }

    FloodGuard(double framesPerSecond, double frameBurst, double bytesPerSecond, double byteBurst, LongSupplier nanoTime) {
        long now = nanoTime.getAsLong();
        this.frames = new Bucket(framesPerSecond, frameBurst, now);
        this.bytes = new Bucket(bytesPerSecond, byteBurst, now);
        this.nanoTime = nanoTime;
    }

    /** Raised into the pipeline when a connection exceeds its rate; the session counts and closes. */
    static final class RateLimitedException extends RuntimeException {
        RateLimitedException(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf frame) {
            long now = nanoTime.getAsLong();
            if (!frames.take(1, now) || !bytes.take(frame.readableBytes(), now)) {
                frame.release();
                ctx.fireExceptionCaught(new RateLimitedException("more than " + (long) frames.rate + " frames or "
                        + (long) bytes.rate + " bytes per second"));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    static WireRejection classify(Throwable t) {
        return t instanceof RateLimitedException ? WireRejection.RATE_LIMITED : WireRejection.classify(t);
    }

    private static final class Bucket {
        final double rate;
        final double burst;
        double tokens;
        long last;

        Bucket(double rate, double burst, long now) {
            this.rate = rate;
            this.burst = burst;
            this.tokens = burst;
            this.last = now;
        }

        boolean take(double n, long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens < n) {
                return false;
            }
            tokens -= n;
            return true;
        }
    }
}

package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_URI_TOO_LONG;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Refuses a request the console cannot serve before anything reads it, each
 * with a JSON error (and, since {@link SecurityHeaders} sits before it in the
 * pipeline, the security headers), then closes the connection (after a
 * lingering close: see {@link #refuse}):
 * <ul>
 * <li>a request line longer than {@value #MAX_LINE} bytes: 414;</li>
 * <li>headers larger than {@value #MAX_HEADERS} bytes: 431;</li>
 * <li>a request the HTTP decoder could not parse, a target that is not a
 *     path, or a path or query with a broken %-escape: 400;</li>
 * <li>a body larger than its route's limit ({@link Router#bodyLimit}), by
 *     {@code Content-Length} or as it streams in: 413.</li>
 * </ul>
 * One instance per connection: it counts the body of the request in flight.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {
    static final int MAX_LINE = 4096;
    static final int MAX_HEADERS = 8192;

    /** How long, and how much, a refused client may go on sending before the connection is cut. */
    static final long LINGER_MILLIS = 2_000;
    static final long LINGER_BYTES = 8L << 20;

    private final Router router;
    private long discarded;
    private long bodyLeft;
    private int bodyLimit;
    private boolean refused;

    RequestGuard(Router router) {
        this.router = router;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            if (msg instanceof HttpContent c) {
                discarded += c.content().readableBytes();
            }
            ReferenceCountUtil.release(msg);
            if (discarded > LINGER_BYTES) {
                ctx.close();
            }
            return;
        }
        if (msg instanceof HttpRequest req) {
            FullHttpResponse refusal = check(req);
            if (refusal != null) {
                refuse(ctx, msg, refusal);
                return;
            }
        }
        if (msg instanceof HttpContent c) {
            bodyLeft -= c.content().readableBytes();
            if (bodyLeft < 0) {
                refuse(ctx, msg, tooLarge(bodyLimit));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private FullHttpResponse check(HttpRequest req) {
        DecoderResult result = req.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpLineException) {
                return ApiHandler.error(REQUEST_URI_TOO_LONG, "the request line is longer than " + MAX_LINE + " bytes");
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return ApiHandler.error(REQUEST_HEADER_FIELDS_TOO_LARGE, "the request headers are larger than " + MAX_HEADERS + " bytes");
            }
            return ApiHandler.error(BAD_REQUEST, "not a valid HTTP request");
        }
        String rawPath;
        try {
            if (!req.uri().startsWith("/")) {
                return ApiHandler.error(BAD_REQUEST, "the request target must be a path starting with /");
            }
            QueryStringDecoder d = new QueryStringDecoder(req.uri());
            d.path();
            d.parameters();
            rawPath = d.rawPath();
            for (String segment : rawPath.split("/")) {
                Router.decode(segment);
            }
        } catch (IllegalArgumentException e) {
            return ApiHandler.error(BAD_REQUEST, "the request target has a broken %-escape");
        }
        bodyLimit = router.bodyLimit(req.method(), rawPath);
        bodyLeft = bodyLimit;
        String length = req.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return ApiHandler.error(BAD_REQUEST, "Content-Length must be a whole number");
            }
            if (n > bodyLimit) {
                return tooLarge(bodyLimit);
            }
        }
        return null;
    }

    private static FullHttpResponse tooLarge(int limit) {
        return ApiHandler.error(REQUEST_ENTITY_TOO_LARGE, "the request body is larger than this route takes (" + limit + " bytes)");
    }

    /**
     * Answers and closes, lingering: a client still sending the body it
     * announced (an Alertmanager batch over 1 MiB, a large upload) would get
     * a reset instead of the answer if the console closed at once, since a
     * socket closed with unread data resets the connection and the client's
     * TCP stack drops the answer it had not read yet. So the console sends
     * the answer, shuts its sending side, and reads and drops what still
     * comes for up to {@value #LINGER_MILLIS} ms or {@value #LINGER_BYTES}
     * bytes, then closes (at once when the client closes first).
     */
    private void refuse(ChannelHandlerContext ctx, Object msg, FullHttpResponse refusal) {
        refused = true;
        ReferenceCountUtil.release(msg);
        ctx.writeAndFlush(ApiHandler.prepare(refusal, false)).addListener(written -> {
            if (written.isSuccess() && ctx.channel() instanceof SocketChannel socket && !socket.isOutputShutdown()) {
                socket.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                ctx.close();
            }
        });
    }
}

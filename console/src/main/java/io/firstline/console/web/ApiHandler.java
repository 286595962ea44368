package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;

import io.firstline.console.metrics.ConsoleMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the HTTP pipeline: {@code /healthz}, {@code /metrics}, and 404
 * for anything no route of the {@link Router} matched (every {@code /api}
 * route is in the router, registered by an {@link ApiModule}). Stateless, so
 * one instance serves every connection.
 */
@Sharable
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    /** What the handler serves; the console wires it to the fleet and metrics. */
    interface Routes {
        boolean ready();

        /** Why {@link #ready} is false, for /healthz's {@code status}: "starting", or e.g. "store unavailable". */
        default String notReadyReason() {
            return "starting";
        }

        String metrics();

        /** The API's route groups (agents, tickets, rules, ...), registered on the web console's router. */
        default List<ApiModule> modules() {
            return List.of();
        }
    }

    private final Routes routes;

    ApiHandler(Routes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        FullHttpResponse res;
        try {
            res = route(req);
        } catch (ApiError e) {
            res = e.response();
        } catch (RuntimeException e) {
            log.error("error serving {} {}", req.method(), req.uri(), e);
            res = json(HttpResponseStatus.INTERNAL_SERVER_ERROR, error("internal error; see the console log"));
        }
        send(ctx, res, HttpUtil.isKeepAlive(req));
    }

    private FullHttpResponse route(FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        boolean get = req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
        if (path.equals("/healthz") || path.equals("/metrics")) {
            if (!get) {
                FullHttpResponse r = json(METHOD_NOT_ALLOWED, error("only GET is supported here"));
                r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                return r;
            }
            if (path.equals("/metrics")) {
                return text(OK, routes.metrics(), ConsoleMetrics.CONTENT_TYPE);
            }
            return routes.ready() ? json(OK, "{\"status\":\"ok\"}")
                    : json(SERVICE_UNAVAILABLE, Json.write(Map.of("status", routes.notReadyReason())));
        }
        return json(NOT_FOUND, error("no such path; GET /api/openapi.json describes the API"));
    }

    private static String error(String message) {
        return Json.write(Map.of("error", message));
    }

    /**
     * {@code {"error": message}} with {@code status}: the shape of every error
     * the console answers ({@link SecurityHeaders}, first in the pipeline,
     * adds the security headers to all of them).
     */
    static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, error(message));
    }

    /**
     * Sends {@code res} (with {@code Cache-Control: no-store} unless it says
     * otherwise) and closes the connection afterwards unless {@code keepAlive}.
     */
    static void send(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
        prepare(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The headers every answer gets: no caching unless the route set its own, and whether the connection stays. */
    static FullHttpResponse prepare(FullHttpResponse res, boolean keepAlive) {
        if (!res.headers().contains(HttpHeaderNames.CACHE_CONTROL)) {
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        }
        HttpUtil.setKeepAlive(res, keepAlive);
        return res;
    }

    static FullHttpResponse json(HttpResponseStatus status, String body) {
        return text(status, body, HttpHeaderValues.APPLICATION_JSON + "; charset=utf-8");
    }

    static FullHttpResponse text(HttpResponseStatus status, String body, String contentType) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return r;
    }
}

package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;

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
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes HTTP requests: {@code /healthz}, {@code /metrics},
 * {@code /api/agents} and {@code /api/agents/{id}}. Stateless, so one
 * instance serves every connection.
 */
@Sharable
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    /** What the handler serves; the console wires it to the fleet and metrics. */
    interface Routes {
        boolean ready();

        String metrics();

        String agentsJson();

        /** JSON of one agent, or empty if unknown. */
        Optional<String> agentJson(String id);

        /** A feature's own routes (any method), tried first; empty if the request is not theirs. */
        default Optional<FullHttpResponse> feature(FullHttpRequest req, String path) {
            return Optional.empty();
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
        } catch (RuntimeException e) {
            log.error("error serving {} {}", req.method(), req.uri(), e);
            res = json(HttpResponseStatus.INTERNAL_SERVER_ERROR, error("internal error; see the console log"));
        }
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set("X-Content-Type-Options", "nosniff");
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        Optional<FullHttpResponse> feature = routes.feature(req, path);
        if (feature.isPresent()) {
            return feature.get();
        }
        boolean get = req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
        if (!get) {
            FullHttpResponse r = json(METHOD_NOT_ALLOWED, error("only GET is supported here"));
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return r;
        }
        switch (path) {
            case "/healthz" -> {
                return routes.ready() ? json(OK, "{\"status\":\"ok\"}") : json(SERVICE_UNAVAILABLE, "{\"status\":\"starting\"}");
            }
            case "/metrics" -> {
                return text(OK, routes.metrics(), "text/plain; version=0.0.4; charset=utf-8");
            }
            case "/", "/api", "/api/" -> {
                return json(OK, "{\"endpoints\":[\"/api/agents\",\"/api/agents/{id}\",\"/metrics\",\"/healthz\"]}");
            }
            case "/api/agents", "/api/agents/" -> {
                return json(OK, routes.agentsJson());
            }
            default -> {
                if (path.startsWith("/api/agents/")) {
                    String id = path.substring("/api/agents/".length());
                    return routes.agentJson(id).map(body -> json(OK, body))
                            .orElseGet(() -> json(NOT_FOUND, error("no agent with id " + Json.quote(id))));
                }
                return json(NOT_FOUND, error("no such path"));
            }
        }
    }

    private static String error(String message) {
        return Json.write(Map.of("error", message));
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

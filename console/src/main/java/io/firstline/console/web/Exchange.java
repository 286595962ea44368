package io.firstline.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.auth.Principal;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request being served: the request, who made it, the path parameters of
 * the matched route, and how to answer. A handler either calls
 * {@link #respond} (now or later, from any thread) or takes the channel over
 * (the live feed).
 */
final class Exchange {
    final ChannelHandlerContext ctx;
    final FullHttpRequest request;
    final Principal principal;
    final String path;
    final Map<String, List<String>> query;
    private final boolean keepAlive;
    private Map<String, String> params = Map.of();

    Exchange(ChannelHandlerContext ctx, FullHttpRequest request, Principal principal) {
        this.ctx = ctx;
        this.request = request;
        this.principal = principal;
        QueryStringDecoder d = new QueryStringDecoder(request.uri());
        this.path = d.path();
        this.query = d.parameters();
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    void params(Map<String, String> p) {
        this.params = p;
    }

    String param(String name) {
        return params.getOrDefault(name, "");
    }

    String queryParam(String name, String fallback) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? fallback : v.get(0);
    }

    /** The request's URI, decoded (for {@link Requests#param}). */
    QueryStringDecoder decoder() {
        return new QueryStringDecoder(request.uri());
    }

    String header(CharSequence name) {
        return request.headers().get(name);
    }

    String remote() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
    }

    /** The body as JSON; an empty object for an empty body. */
    JsonNode json() {
        String body = request.content().toString(StandardCharsets.UTF_8);
        if (body.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BadRequest("the body is not valid JSON");
        }
    }

    void respond(FullHttpResponse res) {
        if (!res.headers().contains(HttpHeaderNames.CACHE_CONTROL)) {
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        }
        HttpUtil.setKeepAlive(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A client error with a message for the caller; answered with 400. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}

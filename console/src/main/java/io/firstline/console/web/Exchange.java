package io.firstline.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.auth.Principal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request being served: the request, who made it, the path parameters of
 * the matched route, and how to answer. A handler either calls
 * {@link #respond} (now or later, from any thread) or takes the channel over
 * (the live feed). Client mistakes are thrown as {@link ApiError}.
 */
final class Exchange {
    final ChannelHandlerContext ctx;
    final FullHttpRequest request;
    final Principal principal;
    /** The decoded path. */
    final String path;
    /** The path as sent, still percent-encoded (what the router matches). */
    final String rawPath;
    final Map<String, List<String>> query;
    private final boolean keepAlive;
    private Map<String, String> params = Map.of();

    Exchange(ChannelHandlerContext ctx, FullHttpRequest request, Principal principal) {
        this.ctx = ctx;
        this.request = request;
        this.principal = principal;
        QueryStringDecoder d = new QueryStringDecoder(request.uri());
        this.path = d.path();
        this.rawPath = d.rawPath();
        this.query = d.parameters();
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    void params(Map<String, String> p) {
        this.params = p;
    }

    String param(String name) {
        return params.getOrDefault(name, "");
    }

    /** A path parameter that must be a whole number (a ticket or token id); 400 naming it otherwise. */
    long idParam(String name) {
        String text = param(name);
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest(name + " must be a positive whole number, got " + Json.quote(Fields.clip(text)));
    }

    /** The first value of a query parameter, trimmed; {@code fallback} when absent or empty. */
    String queryParam(String name, String fallback) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? fallback : v.get(0).trim();
    }

    /** A whole-number query parameter between min and max; 400 naming it otherwise. */
    int intQueryParam(String name, int fallback, int min, int max) {
        String v = queryParam(name, "");
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("query parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", got " + Json.quote(Fields.clip(v)));
    }

    /** The request's URI, decoded. */
    QueryStringDecoder decoder() {
        return new QueryStringDecoder(request.uri());
    }

    String header(CharSequence name) {
        return request.headers().get(name);
    }

    /**
     * Who is acting: the signed-in user or API token owner, which
     * {@link AuthGate} puts into {@value AuthGate#ACTOR_HEADER} after removing
     * any such header the client sent. A body cannot choose the actor.
     */
    String actor() {
        String who = request.headers().get(AuthGate.ACTOR_HEADER, "");
        if (who.isEmpty()) {
            throw new ApiError(HttpResponseStatus.UNAUTHORIZED, "sign in first");
        }
        return who;
    }

    String remote() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
    }

    /**
     * The body as a JSON object; an empty object for an empty body. A
     * non-empty body must say {@code Content-Type: application/json}, which
     * also keeps plain HTML forms on other sites from posting here.
     */
    JsonNode json() {
        String body = request.content().toString(StandardCharsets.UTF_8);
        if (body.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!isJson(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            throw new ApiError(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "send a JSON object with Content-Type: application/json");
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiError.badRequest("the body is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        return n;
    }

    /** True for {@code application/json}, with or without parameters such as charset; not for {@code application/jsonx}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    void respond(FullHttpResponse res) {
        ApiHandler.send(ctx, res, keepAlive);
    }

    /** Answers {@code status} with {@code value} as JSON. */
    void respond(HttpResponseStatus status, Object value) {
        respond(ApiHandler.json(status, Json.write(value)));
    }
}

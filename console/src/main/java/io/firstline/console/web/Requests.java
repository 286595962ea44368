package io.firstline.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reading requests: query parameters, JSON bodies, ids, with clear 4xx errors. */
final class Requests {
    private Requests() {
    }

    static String param(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() ? "" : v.get(0).trim();
    }

    static long id(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ApiError(HttpResponseStatus.NOT_FOUND, "not an id: " + Json.quote(text));
        }
    }

    static void requireMethod(FullHttpRequest req, HttpMethod... allowed) {
        for (HttpMethod m : allowed) {
            if (req.method().equals(m) || (m.equals(HttpMethod.GET) && req.method().equals(HttpMethod.HEAD))) {
                return;
            }
        }
        throw new ApiError(HttpResponseStatus.METHOD_NOT_ALLOWED, req.method() + " is not supported here");
    }

    /**
     * The JSON object body of a POST. Requiring {@code application/json} also
     * keeps plain HTML forms on other sites from posting here.
     */
    static JsonNode body(FullHttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "send a JSON object with Content-Type: application/json");
        }
        String text = req.content().toString(StandardCharsets.UTF_8);
        try {
            JsonNode n = text.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
            if (n == null || !n.isObject()) {
                throw new ApiError(HttpResponseStatus.BAD_REQUEST, "the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "the body is not valid JSON");
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? "" : v.asText().trim();
    }
}

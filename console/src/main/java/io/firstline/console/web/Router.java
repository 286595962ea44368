package io.firstline.console.web;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The console's one route table: every page and every {@code /api} route is
 * registered here (method plus a path pattern whose {@code {name}} segments
 * match one path segment each), so the table is also the list of what the
 * server answers: the OpenAPI test reads it, and the hostile-input test walks
 * it. The first route that matches wins; registering the same method and
 * pattern twice is a bug and throws. Each route also says how large a
 * request body it takes ({@value #DEFAULT_BODY_LIMIT} bytes unless it sets
 * its own), so {@link RequestGuard} refuses an oversized body before reading it.
 */
final class Router {
    /** The body limit of a route that does not set one: 64 KiB. */
    static final int DEFAULT_BODY_LIMIT = 64 * 1024;

    /** Serves one matched request. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange ex) throws Exception;
    }

    /** Who may call a route, beyond being signed in. */
    enum Access { ANYONE, SIGNED_IN, ADMIN }

    /** One route; {@code pattern} is as registered, e.g. {@code /api/tickets/{id}}. */
    record Route(HttpMethod method, String pattern, String[] segments, Access access, int bodyLimit, Handler handler) {
    }

    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(HttpMethod method, String pattern, Access access, Handler handler) {
        return add(method, pattern, access, DEFAULT_BODY_LIMIT, handler);
    }

    Router add(HttpMethod method, String pattern, Access access, int bodyLimit, Handler handler) {
        if (bodyLimit < 0) {
            throw new IllegalArgumentException("body limit must be >= 0: " + bodyLimit);
        }
        for (Route r : routes) {
            if (r.method().equals(method) && r.pattern().equals(pattern)) {
                throw new IllegalStateException("route registered twice: " + method + " " + pattern);
            }
        }
        routes.add(new Route(method, pattern, split(pattern), access, bodyLimit, handler));
        return this;
    }

    Router get(String pattern, Access access, Handler handler) {
        return add(HttpMethod.GET, pattern, access, handler);
    }

    Router post(String pattern, Access access, Handler handler) {
        return add(HttpMethod.POST, pattern, access, handler);
    }

    /** A POST route that takes bodies up to {@code bodyLimit} bytes (documents larger than the default). */
    Router post(String pattern, Access access, int bodyLimit, Handler handler) {
        return add(HttpMethod.POST, pattern, access, bodyLimit, handler);
    }

    Router put(String pattern, Access access, Handler handler) {
        return add(HttpMethod.PUT, pattern, access, handler);
    }

    /** A PUT route that takes bodies up to {@code bodyLimit} bytes (documents larger than the default). */
    Router put(String pattern, Access access, int bodyLimit, Handler handler) {
        return add(HttpMethod.PUT, pattern, access, bodyLimit, handler);
    }

    Router delete(String pattern, Access access, Handler handler) {
        return add(HttpMethod.DELETE, pattern, access, handler);
    }

    /** Every route, in registration order. */
    List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The largest body any route takes (the aggregator's hard cap). */
    int maxBodyLimit() {
        return routes.stream().mapToInt(Route::bodyLimit).max().orElse(DEFAULT_BODY_LIMIT);
    }

    /** The body limit for a request: its route's, or the default when no route matches. */
    int bodyLimit(HttpMethod method, String rawPath) {
        return match(method, rawPath).map(m -> m.route().bodyLimit()).orElse(DEFAULT_BODY_LIMIT);
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        // One trailing slash is the same path: /api/agents/ is /api/agents.
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    /**
     * The route for this method and raw (still percent-encoded) path, if any;
     * HEAD matches GET routes. Each path parameter is decoded once, so
     * {@code %2F} inside an id stays in it.
     *
     * @throws IllegalArgumentException if a segment has a broken %-escape
     *         ({@link RequestGuard} refuses such requests before they get here)
     */
    Optional<Match> match(HttpMethod method, String path) {
        HttpMethod m = method.equals(HttpMethod.HEAD) ? HttpMethod.GET : method;
        String[] parts = split(path);
        for (Route r : routes) {
            if (!r.method().equals(m)) {
                continue;
            }
            Optional<Map<String, String>> params = params(r, parts);
            if (params.isPresent()) {
                return Optional.of(new Match(r, params.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Map<String, String>> params(Route r, String[] parts) {
        if (r.segments().length != parts.length) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String s = r.segments()[i];
            if (s.startsWith("{") && s.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(s.substring(1, s.length() - 1), decode(parts[i]));
            } else if (!s.equals(parts[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /** The methods some route answers on this raw path, HEAD with GET (for 405 and its Allow header); empty if none. */
    Set<String> methods(String rawPath) {
        String[] parts = split(rawPath);
        Set<String> out = new LinkedHashSet<>();
        for (Route r : routes) {
            if (params(r, parts).isPresent()) {
                out.add(r.method().name());
                if (r.method().equals(HttpMethod.GET)) {
                    out.add(HttpMethod.HEAD.name());
                }
            }
        }
        return out;
    }

    /** Decodes one path segment; {@code +} stays a plus sign (it means a space only in queries). */
    static String decode(String segment) {
        return QueryStringDecoder.decodeComponent(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}

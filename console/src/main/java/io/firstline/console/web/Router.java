package io.firstline.console.web;

import io.netty.handler.codec.http.HttpMethod;
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
 * server answers: the OpenAPI test reads it. The first route that matches
 * wins; registering the same method and pattern twice is a bug and throws.
 */
final class Router {
    /** Serves one matched request. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange ex) throws Exception;
    }

    /** Who may call a route, beyond being signed in. */
    enum Access { ANYONE, SIGNED_IN, ADMIN }

    /** One route; {@code pattern} is as registered, e.g. {@code /api/tickets/{id}}. */
    record Route(HttpMethod method, String pattern, String[] segments, Access access, Handler handler) {
    }

    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(HttpMethod method, String pattern, Access access, Handler handler) {
        for (Route r : routes) {
            if (r.method().equals(method) && r.pattern().equals(pattern)) {
                throw new IllegalStateException("route registered twice: " + method + " " + pattern);
            }
        }
        routes.add(new Route(method, pattern, split(pattern), access, handler));
        return this;
    }

    Router get(String pattern, Access access, Handler handler) {
        return add(HttpMethod.GET, pattern, access, handler);
    }

    Router post(String pattern, Access access, Handler handler) {
        return add(HttpMethod.POST, pattern, access, handler);
    }

    Router delete(String pattern, Access access, Handler handler) {
        return add(HttpMethod.DELETE, pattern, access, handler);
    }

    /** Every route, in registration order. */
    List<Route> routes() {
        return List.copyOf(routes);
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        // One trailing slash is the same path: /api/agents/ is /api/agents.
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    /** The route for this method and path, if any; HEAD matches GET routes. */
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
                params.put(s.substring(1, s.length() - 1),
                        java.net.URLDecoder.decode(parts[i], java.nio.charset.StandardCharsets.UTF_8));
            } else if (!s.equals(parts[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /** The methods some route answers on this path (for 405 and its Allow header); empty if none. */
    Set<String> methods(String path) {
        String[] parts = split(path);
        Set<String> out = new LinkedHashSet<>();
        for (Route r : routes) {
            if (params(r, parts).isPresent()) {
                out.add(r.method().name());
            }
        }
        return out;
    }
}

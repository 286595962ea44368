package io.firstline.console.web;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small route table: method plus a path pattern whose {@code {name}}
 * segments match one path segment each. The first route that matches wins.
 */
final class Router {
    /** Serves one matched request. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange ex) throws Exception;
    }

    /** Who may call a route, beyond being signed in. */
    enum Access { ANYONE, SIGNED_IN, ADMIN }

    record Route(HttpMethod method, String[] segments, Access access, Handler handler) {
    }

    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(HttpMethod method, String pattern, Access access, Handler handler) {
        routes.add(new Route(method, split(pattern), access, handler));
        return this;
    }

    Router get(String pattern, Access access, Handler handler) {
        return add(HttpMethod.GET, pattern, access, handler);
    }

    Router post(String pattern, Access access, Handler handler) {
        return add(HttpMethod.POST, pattern, access, handler);
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    /** The route for this method and path, if any; HEAD matches GET routes. */
    Optional<Match> match(HttpMethod method, String path) {
        HttpMethod m = method.equals(HttpMethod.HEAD) ? HttpMethod.GET : method;
        String[] parts = split(path);
        for (Route r : routes) {
            if (!r.method().equals(m) || r.segments().length != parts.length) {
                continue;
            }
            Map<String, String> params = new HashMap<>();
            boolean ok = true;
            for (int i = 0; i < parts.length && ok; i++) {
                String s = r.segments()[i];
                if (s.startsWith("{") && s.endsWith("}")) {
                    ok = !parts[i].isEmpty();
                    params.put(s.substring(1, s.length() - 1), java.net.URLDecoder.decode(parts[i], java.nio.charset.StandardCharsets.UTF_8));
                } else {
                    ok = s.equals(parts[i]);
                }
            }
            if (ok) {
                return Optional.of(new Match(r, params));
            }
        }
        return Optional.empty();
    }

    /** Whether any route has this path with another method (for 405). */
    boolean pathExists(String path) {
        String[] parts = split(path);
        return routes.stream().anyMatch(r -> r.segments().length == parts.length
                && java.util.stream.IntStream.range(0, parts.length).allMatch(i ->
                r.segments()[i].startsWith("{") || r.segments()[i].equals(parts[i])));
    }
}

package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.console.Console;
import io.firstline.console.auth.AuditLog;
import io.firstline.console.config.ConsoleConfig;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class test of issue 9 (items 5, 6, 10): every route the console's
 * router has, taken from the router itself, is called with hostile and
 * oversized path parameters, query strings and bodies. Every answer must be
 * a client error or success (never a 500), carry the security headers, be
 * JSON when it is an error with an {@code error} string that shows nothing
 * of the console's insides; the console logs no stack trace and stores no
 * string longer than its limit.
 */
class RouteWalkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HUGE = "\u00e9<script>'\"".repeat(6_000);

    @TempDir
    static Path dir;
    static Console console;
    static String base;
    static String token;

    @BeforeAll
    static void start() {
        console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
        base = "http://127.0.0.1:" + console.httpPort();
        token = console.accounts().createApiToken("admin", "walk");
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    /** Path parameter values: markup, traversal, control characters, a percent sign, non-numbers, very long. */
    private static final List<String> PARAMS = List.of("<script>alert(1)</script>", "../../etc/passwd", "a\u0000b\r\nX-Injected: 1",
            "%", "-1", "99999999999999999999999", "x".repeat(1500), "\u202e\ud83d\ude00");

    /** Bodies: every field name the API reads, set to hostile values of the wrong type and size. */
    private static List<String> bodies() {
        List<String> out = new ArrayList<>();
        String[] fields = {"username", "password", "current", "name", "role", "next", "site", "ttl", "maxUses", "expiresIn",
                "assignee", "text", "reason", "note", "scope", "value", "duration", "startsAt", "endsAt"};
        Map<String, Object> huge = new LinkedHashMap<>();
        Map<String, Object> wrongTypes = new LinkedHashMap<>();
        Map<String, Object> hostile = new LinkedHashMap<>();
        for (String f : fields) {
            huge.put(f, HUGE.substring(0, 3_000));
            wrongTypes.put(f, Map.of("nested", List.of(1, 2, 3)));
            hostile.put(f, "<img src=x onerror=alert(1)>\u0000\u2028" + "%s%n${jndi:ldap://x}");
        }
        try {
            out.add(JSON.writeValueAsString(huge));
            out.add(JSON.writeValueAsString(wrongTypes));
            out.add(JSON.writeValueAsString(hostile));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        out.add("{\"unterminated\": ");
        out.add("[1,2,3]");
        out.add("\"just a string\"");
        out.add("{\"text\":\"" + "y".repeat(70 * 1024) + "\"}");
        return out;
    }

    private static String fill(String pattern, String value) {
        String enc = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return pattern.replaceAll("\\{[a-z]+}", java.util.regex.Matcher.quoteReplacement(enc));
    }

    @Test
    void everyRouteAnswersHostileInputWithAJsonClientErrorAndTheSecurityHeaders() throws Exception {
        // "METHOD /pattern" for every route of the console's Router (pages and API).
        List<String[]> routes = console.httpRoutes().stream().map(r -> r.split(" ", 2)).toList();
        assertTrue(routes.size() > 30, "the walk covers the router's routes: " + routes.size());
        List<String> failures = new ArrayList<>();
        int calls = 0;
        try (LogCapture log = new LogCapture()) {
            for (String[] route : routes) {
                String method = route[0];
                String pattern = route[1];
                if (pattern.startsWith("/live/")) {
                    continue; // an endless event stream; LiveFeed's own tests cover it
                }
                List<String> paths = new ArrayList<>();
                if (pattern.contains("{")) {
                    PARAMS.forEach(p -> paths.add(fill(pattern, p)));
                } else {
                    paths.add(pattern);
                }
                for (String path : paths) {
                    String query = "?state=" + URLEncoder.encode(HUGE.substring(0, 300), StandardCharsets.UTF_8)
                            + "&limit=-5&all=%3Cx%3E&q=%00";
                    if (method.equals("GET")) {
                        calls++;
                        check(failures, route, call("GET", path + query, null));
                    } else {
                        for (String body : bodies()) {
                            calls++;
                            check(failures, route, call(method, path, body));
                        }
                    }
                }
            }
            assertEquals(List.of(), failures, failures.size() + " of " + calls + " calls failed");
            assertEquals(List.of(), log.stackTraces(), "a client made the console log a stack trace");
        }
        for (AuditLog.Event e : console.accounts().audit().latest(100_000)) {
            assertTrue(e.actor().length() <= AuditLog.MAX_FIELD && e.action().length() <= AuditLog.MAX_FIELD
                    && e.subject().length() <= AuditLog.MAX_FIELD, () -> "audit entry too long: " + e.toString().substring(0, 200));
        }
        assertTrue(console.accounts().users().list().stream().allMatch(u -> u.username().length() <= 64));
    }

    /** One call over a raw socket (so a refused oversized body still yields the answer), closed after. */
    private static Call call(String method, String target, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + target + " HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nAuthorization: Bearer " + token + "\n"
                + (body == null ? "" : "Content-Type: application/json\nContent-Length: " + bytes.length + "\n");
        return new Call(target, RawHttp.send(console.httpPort(), head, bytes));
    }

    private record Call(String target, RawHttp.Response response) {
    }

    private static void check(List<String> failures, String[] route, Call c) {
        RawHttp.Response r = c.response();
        String what = route[0] + " " + route[1] + " -> " + r.status() + " (" + c.target()
                .substring(0, Math.min(120, c.target().length())) + ")";
        int s = r.status();
        if (s >= 500) {
            failures.add(what + ": server error " + r.body());
            return;
        }
        if (!r.header("content-security-policy").contains("default-src 'none'") || !r.header("x-content-type-options").equals("nosniff")) {
            failures.add(what + ": security headers missing " + r.headers());
        }
        if (s >= 400) {
            try {
                JsonNode n = JSON.readTree(r.body());
                String error = n.path("error").asText("");
                if (error.isEmpty()) {
                    failures.add(what + ": error without an 'error' string: " + r.body());
                } else if (error.matches("(?s).*(java\\.|io\\.firstline|Exception|com\\.fasterxml|Cannot deserialize|No enum).*")) {
                    failures.add(what + ": error shows internals: " + error);
                } else if (error.length() > 400) {
                    failures.add(what + ": error echoes too much (" + error.length() + " chars)");
                }
            } catch (IOException e) {
                failures.add(what + ": error is not JSON: " + r.body());
            }
            if (!r.header("content-type").startsWith("application/json")) {
                failures.add(what + ": error content type " + r.header("content-type"));
            }
        }
    }
}

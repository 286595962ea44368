package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes every request body the HTTP API accepts, against a real console
 * (SQLite in a temp dir, real loopback sockets), signed in with an admin's
 * API token. An input is a request line and a body:
 *
 * <pre>
 * POST /api/tickets/1/comment
 * {"text": "disk replaced"}
 * </pre>
 *
 * The seeds hold one body per route that reads one; the fuzzer mutates the
 * paths too. Whatever comes, the console answers with a status below 500,
 * and every {@code /api} answer is JSON.
 */
class HttpApiFuzzTest {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");

    @TempDir
    static Path dir;
    static Console console;
    static HttpClient http;
    static TestSupport.Auth admin;
    static SilentCloseable loopbackOnly;

    @BeforeAll
    static void start() {
        loopbackOnly = allowLoopbackOnly();
        console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
        admin = TestSupport.adminToken(console);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Instant now = Instant.now();
        // Ticket 1, so that the ticket actions reach the ticket service.
        console.tickets().apply(new FaultEvent(new FaultKey("fuzz-agent", "disk_almost_full", "/"), true, "fs.used_ratio",
                0.97, 0.9, now, now, "", 1, 1));
    }

    /**
     * Tells Jazzer's request-forgery detector that the test's connections, all
     * to this console on loopback, are intended. Jazzer 0.24.0's fuzzing agent
     * ships without that detector, and then there is nothing to tell.
     */
    private static SilentCloseable allowLoopbackOnly() {
        try {
            return BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1"));
        } catch (IllegalStateException noSuchDetector) {
            return () -> { };
        }
    }

    @AfterAll
    static void stop() {
        console.close();
        loopbackOnly.close();
    }

    @FuzzTest
    void anyRequestBodyIsAnsweredWithoutAServerError(byte[] input) throws IOException, InterruptedException {
        String text = new String(input, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String requestLine = nl < 0 ? text : text.substring(0, nl);
        String body = nl < 0 ? "" : text.substring(nl + 1);
        int space = requestLine.indexOf(' ');
        if (space < 0 || !METHODS.contains(requestLine.substring(0, space))) {
            return;
        }
        String method = requestLine.substring(0, space);
        String path = requestLine.substring(space + 1);
        URI uri;
        try {
            uri = new URI("http://127.0.0.1:" + console.httpPort() + path);
        } catch (URISyntaxException e) {
            return; // not a request a client could send
        }
        if (!path.startsWith("/") || uri.getRawAuthority() == null || !uri.getRawAuthority().endsWith(":" + console.httpPort())) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header(admin.header(), admin.value())
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() < 500, () -> method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        if (uri.getPath() != null && uri.getPath().startsWith("/api/") && r.statusCode() != 204) {
            String type = r.headers().firstValue("content-type").orElse("");
            assertTrue(type.startsWith("application/json"), () -> method + " " + path + " answered " + type + ": " + r.body());
        }
    }
}

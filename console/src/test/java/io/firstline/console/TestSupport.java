package io.firstline.console;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Helpers shared by the console's tests: HTTP calls, free ports, outside programs. */
public final class TestSupport {
    /** Set by .ci/run: a missing outside program fails the test instead of skipping it. */
    public static final String REQUIRE_TOOLS = "FIRSTLINE_REQUIRE_TOOLS";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestSupport() {
    }

    public record Response(int status, String body, String contentType) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public static Response get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("content-type").orElse(""));
        } catch (IOException e) {
            return new Response(-1, e.toString(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("content-type").orElse(""));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** POSTs a JSON body. */
    public static Response post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The path of an outside program the test needs. Where it is missing the
     * test is skipped with a message saying what to install, or fails when
     * {@value #REQUIRE_TOOLS} is set (as in CI).
     */
    public static Path requireTool(String name, String debianPackage) {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        String message = name + " is not installed (Debian package '" + debianPackage + "'); test skipped";
        if (System.getenv(REQUIRE_TOOLS) != null) {
            fail(message.replace("test skipped", REQUIRE_TOOLS + " is set, so this is a failure"));
        }
        Assumptions.abort(message);
        return null;
    }
}

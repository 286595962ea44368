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

    /**
     * How a test authenticates: a bearer token, or a session cookie with its
     * CSRF token (from {@link #login}).
     */
    public record Auth(String header, String value, String csrf) {
        public static final Auth NONE = new Auth("", "", "");

        public HttpRequest.Builder apply(HttpRequest.Builder b) {
            if (!header.isEmpty()) {
                b.header(header, value);
            }
            if (!csrf.isEmpty()) {
                b.header("X-CSRF-Token", csrf);
            }
            return b;
        }
    }

    public static Auth bearer(String token) {
        return new Auth("Authorization", "Bearer " + token, "");
    }

    /** A fresh API token of the console's admin. */
    public static Auth adminToken(Console console) {
        return bearer(console.accounts().createApiToken("admin", "test"));
    }

    /**
     * Creates a user whose password is not one-time (as if they had changed
     * it already) and returns it, for tests that sign in as that user.
     */
    public static String user(Console console, String name, io.firstline.console.auth.Role role) {
        console.accounts().createUser(name, role).orElseThrow();
        String password = "chosen-" + name + "-password";
        console.accounts().setPassword(name, password);
        return password;
    }

    /** The first start's admin password, made not one-time, for tests that sign in as admin. */
    public static String adminPassword(Console console, java.nio.file.Path dataDir) {
        try {
            String password = Files.readString(dataDir.resolve(io.firstline.console.auth.Accounts.INITIAL_PASSWORD_FILE)).trim()
                    .split(" ")[1];
            console.accounts().setPassword("admin", password);
            return password;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Signs in with a one-time password, replaces it with {@code chosen} as
     * the console requires before anything else, and signs in again: a
     * session that may do what the user's role allows.
     */
    public static Auth loginChangingOneTimePassword(String base, String user, String oneTime, String chosen) {
        Auth first = login(base, user, oneTime);
        Response changed = post(base + "/api/me/password", first,
                "{\"current\":" + quote(oneTime) + ",\"password\":" + quote(chosen) + "}");
        if (changed.status() != 200) {
            throw new AssertionError("changing the one-time password of " + user + " answered " + changed.status() + ": " + changed.body());
        }
        return login(base, user, chosen);
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Signs in with user name and password; fails the test if the console refuses. */
    public static Auth login(String base, String user, String password) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login")).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                            java.util.Map.of("username", user, "password", password)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("login of " + user + " answered " + r.statusCode() + ": " + r.body());
            }
            String cookie = r.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
            return new Auth("Cookie", cookie, JSON.readTree(r.body()).path("csrfToken").asText());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A GET with {@code auth}; status -1 when the console cannot be reached (as {@link #get(String)}). */
    public static Response get(String url, Auth auth) {
        try {
            HttpResponse<String> r = HTTP.send(auth.apply(HttpRequest.newBuilder(URI.create(url))).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("content-type").orElse(""));
        } catch (IOException e) {
            return new Response(-1, e.toString(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Response post(String url, Auth auth, String json) {
        return send(auth.apply(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))));
    }

    /** POSTs a JSON body. */
    public static Response post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Enrolls an agent state directory with {@code console} the way the demo
     * does (a one-use token, the CA fingerprint pinned) and starts the agent.
     */
    public static io.firstline.agent.AgentRuntime enrolledAgent(Console console, io.firstline.agent.AgentRuntime.Settings settings) {
        io.firstline.console.cli.DemoCommand.enrollLocalAgent(console, settings.consoles().get(0), settings.stateDir());
        return io.firstline.agent.AgentRuntime.start(settings);
    }

    /**
     * One rule on {@code test.signal} (critical "Test signal high" above 0.5
     * for 200 ms), checked every 100 ms: what the browser tests raise and
     * clear through {@link #signalAgent}.
     */
    public static final String SIGNAL_RULES = """
            settings:
              check_interval: 100ms
            rules:
              - id: test_signal_high
                metric: test.signal
                condition: "> 0.5"
                for: 200ms
                recover: { threshold: 0.5, for: 200ms }
                severity: critical
                title: "Test signal high"
                description: "The test collector reports a high signal."
                user_text: "A test fault."
            """;

    /** A console on free loopback ports with its data in {@code data}, {@code rules} as its rules file, samples every second. */
    public static Console consoleWithRules(Path data, String rules) throws IOException {
        Files.createDirectories(data);
        Files.writeString(data.resolve("rules.yaml"), rules);
        return Console.start(io.firstline.console.config.ConsoleConfig.defaults(data)
                .withAgentListen(new io.firstline.console.config.ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new io.firstline.console.config.ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1)));
    }

    /**
     * An enrolled agent of this machine in {@code stateDir}, sampling every
     * second with every built-in collector, a {@code test.signal} whose value
     * the test sets, and {@code extra} collectors.
     */
    public static io.firstline.agent.AgentRuntime signalAgent(Console console, Path stateDir,
            java.util.concurrent.atomic.AtomicReference<Double> signal, io.firstline.agent.collect.Registration... extra) {
        java.util.List<io.firstline.agent.collect.Registration> collectors = new java.util.ArrayList<>(
                io.firstline.agent.collect.CollectorRegistry.builtIn().select(java.util.Set.of(), java.util.Set.of()));
        collectors.add(new io.firstline.agent.collect.Registration("testsignal", true,
                probe -> out -> out.value("test.signal", signal.get())));
        collectors.addAll(java.util.List.of(extra));
        return enrolledAgent(console, new io.firstline.agent.AgentRuntime.Settings(java.util.List.of(
                new io.firstline.agent.link.ConsoleAddress("127.0.0.1", console.agentPort())), stateDir, Duration.ofSeconds(1), collectors));
    }

    /** The value after {@code label} on the line of a command's output that starts with it ("token: ..."). */
    public static String printedField(String output, String label) {
        return output.lines().filter(l -> l.startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + label + "' in: " + output)).substring(label.length()).trim();
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

package io.firstline.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.cli.CliSupport;
import io.firstline.console.Console;
import io.firstline.console.config.ConsoleConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator end to end: a real console on loopback, the simulator's own
 * command line enrolling and running a handful of agents, and what the
 * console has from them afterwards (agents, their samples and inventory,
 * tickets for the injected faults).
 */
class SimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private Console console;
    private String base;
    private String token;
    private Path tokenFile;

    @BeforeEach
    void startConsole() throws Exception {
        console = Console.start(ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1)));
        base = "http://127.0.0.1:" + console.httpPort();
        token = console.accounts().createApiToken("admin", "simulator-test");
        tokenFile = dir.resolve("api-token");
        Files.writeString(tokenFile, token + "\n");
    }

    @AfterEach
    void stopConsole() {
        console.close();
    }

    private record Result(int exit, String out, String err) {
        /** The summary line's {@code key=value} pairs. */
        Map<String, String> summary() {
            Map<String, String> m = new HashMap<>();
            String line = out.lines().filter(l -> l.startsWith("simulator agents=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary line in:\n" + out + err));
            Matcher kv = Pattern.compile("(\\w+)=(\\S+)").matcher(line);
            while (kv.find()) {
                m.put(kv.group(1), kv.group(2));
            }
            return m;
        }
    }

    private static synchronized Result simulator(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = CliSupport.execute(new SimulatorMain(), args);
            return new Result(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void aHandfulOfAgentsReportAndTheirFaultsBecomeTickets() throws Exception {
        Path pool = dir.resolve("pool");
        Result r = simulator("run", "--console", base, "--api-token-file", tokenFile.toString(), "--agents", "5",
                "--pool", pool.toString(), "--interval", "1s", "--duration", "5s", "--fault-every", "1s", "--fault-hold", "2s",
                "--status-every", "1s");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("enrolled 5 agents"), r.out());
        Map<String, String> s = r.summary();
        assertEquals("5", s.get("agents"));
        assertEquals("5", s.get("connected"));
        assertTrue(Long.parseLong(s.get("samples_acked")) >= 15, "five agents for five seconds at 1 s: " + s);
        assertTrue(Double.parseDouble(s.get("ingest_p99_ms")) > 0, s.toString());
        assertTrue(Long.parseLong(s.get("faults")) >= 2, s.toString());
        assertEquals("0", s.get("faults_without_ticket"), s.toString());

        // The console knows all five, with what their samples and inventory carried.
        Set<String> ids = new HashSet<>();
        for (JsonNode a : api("/api/agents")) {
            ids.add(a.path("id").asText());
        }
        assertEquals(Set.of("sim-000001", "sim-000002", "sim-000003", "sim-000004", "sim-000005"), ids);
        JsonNode one = api("/api/agents/sim-000003");
        assertEquals("simulator", one.path("agentVersion").asText());
        Set<String> metrics = new HashSet<>();
        one.path("values").forEach(v -> metrics.add(v.path("metric").asText()));
        assertTrue(metrics.containsAll(List.of("cpu.usage_ratio", "memory.used_ratio", "fs.used_ratio", "net.rx_bytes_per_second",
                "os.uptime_seconds")), metrics.toString());
        assertTrue(one.path("values").size() >= 40, "about forty values: " + one.path("values").size());
        assertTrue(one.path("inventory").size() > 30, one.path("inventory").toString());
        assertTrue(one.path("collectors").size() == SimulatedHost.COLLECTORS.size(), one.path("collectors").toString());

        // Every injected fault made a ticket of the read-only rule, on a simulated agent's fault mount.
        JsonNode tickets = api("/api/tickets?state=all&rule=" + FaultClock.RULE);
        assertTrue(tickets.size() >= Long.parseLong(s.get("faults")), tickets.toString());
        for (JsonNode t : tickets) {
            assertTrue(ids.contains(t.path("agentId").asText()), t.toString());
            assertTrue(t.path("resource").asText().startsWith("/mnt/fault-"), t.toString());
        }

        // A second run reuses the pool: no enrollment, the same identities; on BoringSSL this time (the agents'
        // TLS for returns of thousands at once, bench/restart.sh), the same link and the same acks.
        Result again = simulator("run", "--console", base, "--api-token-file", tokenFile.toString(), "--agents", "3",
                "--pool", pool.toString(), "--interval", "1s", "--duration", "2s", "--fault-every", "0s", "--tls", "boringssl");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertFalse(again.out().contains("enrolling"), again.out());
        assertTrue(again.out().contains("TLS: boringssl"), again.out());
        assertEquals("3", again.summary().get("connected"));
        assertTrue(Long.parseLong(again.summary().get("samples_acked")) >= 3, again.summary().toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            int n = 0;
            for (JsonNode a : api("/api/agents")) {
                n += a.path("id").asText().startsWith("sim-") ? 1 : 0;
            }
            return n == 5;
        });
    }

    @Test
    void misbehavingAgentsAreEachEndedAndCountedByReasonWhileTheOthersReport() throws Exception {
        Result r = simulator("run", "--console", base, "--api-token-file", tokenFile.toString(), "--agents", "7",
                "--misbehaving", "1", "--pool", dir.resolve("pool").toString(), "--interval", "1s", "--duration", "6s",
                "--fault-every", "0s", "--status-every", "1s");
        assertEquals(0, r.exit(), r.out() + r.err());
        Map<String, String> s = r.summary();
        assertEquals("4", s.get("agents"), "four behave, three misbehave");
        assertEquals("4", s.get("connected"));
        assertTrue(Long.parseLong(s.get("samples_acked")) >= 16, "four agents for six seconds at 1 s: " + s);
        String line = r.out().lines().filter(l -> l.startsWith("misbehaving agents' connections")).findFirst()
                .orElseThrow(() -> new AssertionError(r.out()));
        // Silent for three intervals (3 s here), a flood past 2,000 frames, a length over 1 MiB: each closed for its reason.
        for (String reason : List.of("idle_timeout", "rate_limited", "oversize")) {
            Matcher m = Pattern.compile(reason + "=(\\d+)").matcher(line.substring(line.indexOf("closed connections for")));
            assertTrue(m.find() && Long.parseLong(m.group(1)) >= 1, reason + " in: " + line);
        }
    }

    @Test
    void aPoolOfAnotherConsoleIsRefusedWithAClearError() throws Exception {
        Path pool = dir.resolve("pool");
        Files.createDirectories(pool);
        Files.writeString(pool.resolve(AgentPool.FINGERPRINT_FILE), "00:11:22\n");
        Result r = simulator("enroll", "--console", base, "--api-token-file", tokenFile.toString(), "--agents", "2",
                "--pool", pool.toString());
        assertEquals(CliSupport.USAGE, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("belongs to the console with CA 00:11:22"), r.err());
    }

    @Test
    void badInputIsOneLineNamingTheOption() {
        Result r = simulator("run", "--console", base, "--api-token-file", tokenFile.toString(), "--agents", "0");
        assertEquals(CliSupport.USAGE, r.exit());
        assertTrue(r.err().contains("--agents must be from 1 to 100000"), r.err());
        Result tls = simulator("run", "--console", base, "--api-token-file", tokenFile.toString(), "--agents", "2", "--tls", "rustls");
        assertEquals(CliSupport.USAGE, tls.exit());
        assertTrue(tls.err().contains("--tls must be jdk or boringssl, got rustls"), tls.err());
        Result missing = simulator("run", "--console", base, "--api-token-file", dir.resolve("nope").toString(), "--agents", "2");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("cannot read the API token file"), missing.err());
    }
}

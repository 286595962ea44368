package io.firstline.console.diagnostics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.config.AgentConfig;
import io.firstline.agent.diagnose.DiagnosticsConfig;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.AuditLog;
import io.firstline.console.auth.Role;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diagnostics API against a real console and a real agent over loopback:
 * what runs, what is refused before anything is sent (and with which status),
 * the ticket timeline and the audit log.
 */
class DiagnosticsApiTest {
    @TempDir
    Path dir;
    private Console console;
    private AgentRuntime agent;
    private String base;
    private TestSupport.Auth admin;
    private String id;

    @BeforeEach
    void start() throws Exception {
        console = Console.start(ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1)));
        base = "http://127.0.0.1:" + console.httpPort();
        admin = TestSupport.adminToken(console);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("app.log"), "started\nERROR disk full\nok\n");
        AgentRuntime.Settings settings = new AgentRuntime.Settings(List.of(new ConsoleAddress("127.0.0.1", console.agentPort())),
                dir.resolve("agent"), Duration.ofSeconds(1), CollectorRegistry.builtIn().select(Set.of(), Set.of()));
        io.firstline.console.cli.DemoCommand.enrollLocalAgent(console, settings.consoles().get(0), settings.stateDir());
        agent = AgentRuntime.start(settings, AgentConfig.defaults().withDiagnostics(new DiagnosticsConfig(true,
                Set.of("tcp_connect", "log_tail", "disk_usage", "routes", "http_check"), Map.of("app", logs.resolve("app.log").toString()),
                List.of(logs.toString()), List.of())));
        id = agent.agentId();
        await().atMost(Duration.ofSeconds(20)).until(() -> console.diagnostics().online(id));
    }

    @AfterEach
    void stop() {
        agent.close();
        console.close();
    }

    private TestSupport.Response run(TestSupport.Auth who, String body) {
        return TestSupport.post(base + "/api/agents/" + id + "/diagnostics", who, body);
    }

    private JsonNode finished(long diagnostic) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !Set.of("pending", "running").contains(
                TestSupport.get(base + "/api/diagnostics/" + diagnostic, admin).json().path("state").asText()));
        return TestSupport.get(base + "/api/diagnostics/" + diagnostic, admin).json();
    }

    @Test
    void anEngineerRunsTcpConnectAndReadsTheResult() throws Exception {
        String password = TestSupport.user(console, "erin", Role.ENGINEER);
        TestSupport.Auth erin = TestSupport.login(base, "erin", password);
        try (ServerSocket target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            TestSupport.Response r = run(erin, "{\"action\":\"tcp_connect\",\"params\":{\"host\":\"127.0.0.1\",\"port\":"
                    + target.getLocalPort() + "}}");
            assertEquals(202, r.status(), r.body());
            JsonNode d = finished(r.json().path("id").asLong());
            assertEquals("done", d.path("state").asText(), d.toString());
            assertEquals(id, d.path("agentId").asText());
            assertEquals("true", d.path("result").path("summary").path("connected").asText(), d.toString());
            assertTrue(d.path("result").path("output").asText().contains("connected to 127.0.0.1 port " + target.getLocalPort()));
            assertTrue(d.path("startedAt").isTextual() && d.path("finishedAt").isTextual(), d.toString());
        }
        // Every request is audited with who, agent, action, parameters, outcome, bytes and duration.
        List<AuditLog.Event> audit = console.accounts().audit().latest(50);
        AuditLog.Event result = audit.stream().filter(e -> e.action().equals("diagnostic.result")).findFirst().orElseThrow();
        assertEquals("erin", result.actor());
        assertEquals("agent " + id, result.subject());
        JsonNode detail = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.detail());
        assertEquals("tcp_connect", detail.path("action").asText());
        assertEquals("127.0.0.1", detail.path("params").path("host").asText());
        assertTrue(detail.path("outcome").asText().startsWith("done"), detail.toString());
        assertTrue(detail.path("bytes").asLong() > 0 && detail.has("durationMs"), detail.toString());
        assertTrue(audit.stream().anyMatch(e -> e.action().equals("diagnostic.request") && e.detail().contains("accepted")));
    }

    @Test
    void badInputIs400NamingTheParameterBeforeAnyRateLimitAndNothingIsSent() {
        Map<String, String> bad = Map.of(
                "{\"action\":\"tcp_connect\",\"params\":{\"host\":\"127.0.0.1\",\"port\":0}}", "port",
                "{\"action\":\"tcp_connect\",\"params\":{\"host\":\"127.0.0.1\",\"port\":70000}}", "port",
                "{\"action\":\"tcp_connect\",\"params\":{\"host\":\"a b; reboot\",\"port\":22}}", "host",
                "{\"action\":\"http_check\",\"params\":{\"url\":\"file:///etc/passwd\"}}", "url",
                "{\"action\":\"disk_usage\",\"params\":{\"path\":\"/tmp/../etc\"}}", "path",
                "{\"action\":\"disk_usage\",\"params\":{\"path\":\"/etc\"}}", "path",
                "{\"action\":\"log_tail\",\"params\":{\"log\":\"syslog\"}}", "log",
                "{\"action\":\"ping\",\"params\":{\"host\":\"127.0.0.1\"}}", "action",
                "{\"action\":\"exec\",\"params\":{\"cmd\":\"id\"}}", "action",
                "{\"action\":\"routes\",\"params\":{\"x\":\"1\"}}", "x");
        for (int round = 0; round < 2; round++) {
            bad.forEach((body, param) -> {
                TestSupport.Response r = run(admin, body);
                assertEquals(400, r.status(), body + " -> " + r.body());
                assertEquals(param, r.json().path("param").asText(), body + " -> " + r.body());
            });
            if (round == 0) {
                // Use up the agent's rate limit with valid requests: the invalid ones above stay 400, never 429.
                int accepted = 0;
                for (int i = 0; i < 30 && accepted < RateLimits.PER_AGENT; i++) {
                    TestSupport.Response ok = run(admin, "{\"action\":\"routes\"}");
                    assertEquals(202, ok.status(), ok.body());
                    accepted++;
                }
                TestSupport.Response limited = run(admin, "{\"action\":\"routes\"}");
                assertEquals(429, limited.status(), limited.body());
                assertTrue(limited.json().path("error").asText().contains("a minute for one agent"), limited.body());
            }
        }
        // Nothing was stored, let alone sent, for the refused ones: only the valid routes requests exist.
        List<Diagnostic> all = console.diagnostics().recent(id, 200);
        assertEquals(RateLimits.PER_AGENT, all.size());
        assertTrue(all.stream().allMatch(d -> d.action().equals("routes")));
    }

    @Test
    void viewersCannotRunDiagnosticsAndOfflineAgentsAre409() {
        String password = TestSupport.user(console, "vic", Role.VIEWER);
        TestSupport.Auth vic = TestSupport.login(base, "vic", password);
        assertEquals(403, run(vic, "{\"action\":\"routes\"}").status());
        assertEquals(200, TestSupport.get(base + "/api/agents/" + id + "/diagnostics", vic).status(), "viewers may look");
        agent.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !console.diagnostics().online(id));
        TestSupport.Response r = run(admin, "{\"action\":\"routes\"}");
        assertEquals(409, r.status(), r.body());
        assertTrue(r.json().path("error").asText().contains("offline"), r.body());
        assertEquals(400, run(admin, "{\"action\":\"routes\",\"params\":{\"x\":1}}").status(), "validation still comes first");
    }

    @Test
    void aDiagnosticForATicketIsOnItsTimeline() {
        Instant now = Instant.now();
        long ticket = console.tickets().apply(new FaultEvent(new FaultKey(id, "clock_skew", ""), true, "clock.skew_seconds", 9, 5,
                now, now, "", 0, 0)).ticket().orElseThrow().id();
        TestSupport.Response r = run(admin, "{\"action\":\"log_tail\",\"params\":{\"log\":\"app\",\"grep\":\"ERROR\"},\"ticketId\":"
                + ticket + "}");
        assertEquals(202, r.status(), r.body());
        long d = r.json().path("id").asLong();
        assertEquals("done", finished(d).path("state").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode t = TestSupport.get(base + "/api/tickets/" + ticket, admin).json();
            long done = 0;
            for (JsonNode e : t.path("timeline")) {
                if (e.path("kind").asText().equals("diagnostic") && e.path("detail").path("diagnosticId").asLong() == d
                        && e.path("detail").path("state").asText().equals("done")) {
                    done++;
                }
            }
            return done == 1;
        });
        assertTrue(finished(d).path("result").path("output").asText().contains("ERROR disk full"));
        TestSupport.Response wrongTicket = run(admin, "{\"action\":\"routes\",\"ticketId\":999999}");
        assertEquals(400, wrongTicket.status());
        assertEquals("ticketId", wrongTicket.json().path("param").asText());
        assertFalse(console.diagnostics().forTicket(ticket).isEmpty());
    }
}

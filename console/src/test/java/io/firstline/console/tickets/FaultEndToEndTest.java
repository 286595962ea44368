package io.firstline.console.tickets;

import static io.firstline.console.TestSupport.get;
import static io.firstline.console.TestSupport.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.collect.Registration;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent and a real console over loopback: a fault goes through the
 * agent's real pipeline (a test collector registered like any other, the
 * agent's rule engine, its outbox and link) and opens a ticket; the fault
 * clears and the ticket resolves by itself.
 */
class FaultEndToEndTest {
    @TempDir
    Path dir;

    static final String TEST_RULES = """
            settings:
              check_interval: 100ms
            rules:
              - id: test_signal_high
                metric: test.signal
                condition: "> 0.5"
                for: 500ms
                recover: { threshold: 0.5, for: 500ms }
                severity: critical
                title: "Test signal high"
                description: "The test collector reports a high signal."
                user_text: "A test fault."
              - id: memory_in_use
                metric: memory.used_ratio
                condition: "> 0.0001"
                for: 0s
                recover: { threshold: 0.0001, for: 0s }
                severity: info
                title: "Memory in use on this machine"
                description: "Any running machine uses some memory: a real condition of the test host."
                user_text: "Your computer is using memory."
              - id: memory_in_use_at_demo_site
                metric: memory.used_ratio
                condition: "> 0.0001"
                for: 0s
                recover: { threshold: 0.0001, for: 0s }
                severity: info
                scope: { sites: [demo] }
                title: "Memory in use at the demo site"
                description: "Scoped to the site the agent enrolled with."
                user_text: "Your computer is using memory."
              - id: memory_in_use_at_other_site
                metric: memory.used_ratio
                condition: "> 0.0001"
                for: 0s
                recover: { threshold: 0.0001, for: 0s }
                severity: info
                scope: { sites: [elsewhere] }
                title: "Memory in use elsewhere"
                description: "Scoped to a site this agent is not at."
                user_text: "Your computer is using memory."
              - id: agent_offline
                kind: console
                metric: agent.silent_intervals
                condition: ">= 3"
                for: 0s
                recover: { threshold: 1, for: 0s }
                severity: critical
                title: "Agent offline"
                description: "Silent for 3 intervals."
                user_text: "We cannot see your computer."
            """;

    private Console console(int agentPort) throws Exception {
        Path data = dir.resolve("console");
        Files.createDirectories(data);
        if (!Files.exists(data.resolve("rules.yaml"))) {
            Files.writeString(data.resolve("rules.yaml"), TEST_RULES);
        }
        return Console.start(ConsoleConfig.defaults(data)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", agentPort))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1)));
    }

    private AgentRuntime agent(Console console, AtomicReference<Double> signal) {
        int port = console.agentPort();
        List<Registration> collectors = new ArrayList<>(CollectorRegistry.builtIn().select(Set.of(), Set.of()));
        collectors.add(new Registration("testsignal", true, probe -> out -> out.value("test.signal", signal.get())));
        return TestSupport.enrolledAgent(console, new AgentRuntime.Settings(List.of(new ConsoleAddress("127.0.0.1", port)),
                dir.resolve("agent"), Duration.ofSeconds(1), collectors));
    }

    /** Who the test acts as: the console's admin, through an API token. */
    private TestSupport.Auth auth;

    private JsonNode ticket(String base, String rule, String state) {
        for (JsonNode t : get(base + "/api/tickets?state=" + state + "&rule=" + rule, auth).json()) {
            return t;
        }
        return null;
    }

    @Test
    void aFaultOnTheAgentOpensATicketAndItsClearResolvesIt() throws Exception {
        AtomicReference<Double> signal = new AtomicReference<>(0.0);
        Console console = console(0);
        String base = "http://127.0.0.1:" + console.httpPort();
        auth = TestSupport.adminToken(console);
        AgentRuntime agent = agent(console, signal);
        try {
            // A real condition of this machine: memory is in use.
            await().atMost(Duration.ofSeconds(20)).until(() -> ticket(base, "memory_in_use", "open") != null);
            JsonNode real = ticket(base, "memory_in_use", "open");
            assertEquals(agent.agentId(), real.path("agentId").asText());
            assertEquals("info", real.path("severity").asText());
            // Scope by site: the agent enrolled with a token for site "demo".
            await().atMost(Duration.ofSeconds(20)).until(() -> ticket(base, "memory_in_use_at_demo_site", "open") != null);
            assertEquals(null, ticket(base, "memory_in_use_at_other_site", "all"), "a rule scoped to another site stays silent");

            assertEquals(null, ticket(base, "test_signal_high", "all"));
            signal.set(0.9);
            await().atMost(Duration.ofSeconds(10)).until(() -> ticket(base, "test_signal_high", "open") != null);
            JsonNode t = ticket(base, "test_signal_high", "open");
            assertEquals("critical", t.path("severity").asText());
            assertEquals(agent.agentId() + "/test_signal_high/", t.path("faultKey").asText());
            long id = t.path("id").asLong();
            JsonNode detail = get(base + "/api/tickets/" + id, auth).json();
            JsonNode raised = detail.path("timeline").get(0);
            assertEquals("raised", raised.path("kind").asText());
            assertEquals(0.9, raised.path("detail").path("value").asDouble());
            assertEquals("test.signal", raised.path("detail").path("metric").asText());

            // People can work it through the API; an illegal action is a 409 with the reason.
            // The actor is whoever signed in (here the admin's API token), never what the body or a header claims.
            TestSupport.Response ack = TestSupport.send(auth.apply(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(base + "/api/tickets/" + id + "/ack")))
                    .header("Content-Type", "application/json").header("X-Firstline-Actor", "mallory")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"actor\":\"mallory\"}")));
            assertEquals(200, ack.status(), ack.body());
            JsonNode acked = ack.json().path("timeline").get(ack.json().path("timeline").size() - 1);
            assertEquals("acknowledged", acked.path("kind").asText());
            assertEquals("admin", acked.path("actor").asText());
            assertEquals("acknowledged", ack.json().path("state").asText());
            TestSupport.Response again = post(base + "/api/tickets/" + id + "/ack", auth, "{}");
            assertEquals(409, again.status());
            assertTrue(again.json().path("error").asText().contains("only an open ticket can be acknowledged"), again.body());

            signal.set(0.1);
            await().atMost(Duration.ofSeconds(10)).until(() -> "resolved".equals(get(base + "/api/tickets/" + id, auth).json()
                    .path("state").asText()));
            JsonNode resolved = get(base + "/api/tickets/" + id, auth).json();
            JsonNode last = resolved.path("timeline").get(resolved.path("timeline").size() - 1);
            assertEquals("resolved", last.path("kind").asText());
            assertEquals("fault", last.path("actor").asText());
            assertEquals("recovered", last.path("detail").path("reason").asText());
            assertEquals(null, ticket(base, "test_signal_high", "open"), "not in the open list any more");

            // A rules edit is pushed to the agent: raising the threshold out of reach clears the real fault.
            Path rules = dir.resolve("console/rules.yaml");
            Files.writeString(rules, TEST_RULES.replace("condition: \"> 0.0001\"", "condition: \"> 2\"")
                    .replace("recover: { threshold: 0.0001, for: 0s }", "recover: { threshold: 2, for: 0s }"));
            await().atMost(Duration.ofSeconds(15)).until(() -> ticket(base, "memory_in_use", "open") == null);
            assertEquals("resolved", ticket(base, "memory_in_use", "all").path("state").asText());

            // The agent stops: the console's own heartbeat rule opens "agent offline".
            agent.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> ticket(base, "agent_offline", "open") != null);
            assertEquals(1, get(base + "/api/tickets?state=all&rule=test_signal_high", auth).json().size(), "no duplicate tickets");
        } finally {
            agent.close();
            console.close();
        }
    }

    @Test
    void aBadRulesEditShowsInTheApiAndKeepsTheLastGoodRules() throws Exception {
        Console console = console(0);
        String base = "http://127.0.0.1:" + console.httpPort();
        auth = TestSupport.adminToken(console);
        try {
            JsonNode ok = get(base + "/api/rules", auth).json();
            assertTrue(ok.path("valid").asBoolean());
            assertEquals(5, ok.path("rules").size());
            Files.writeString(dir.resolve("console/rules.yaml"), TEST_RULES.replace("for: 500ms", "for: half a second"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !get(base + "/api/rules", auth).json().path("valid").asBoolean());
            JsonNode bad = get(base + "/api/rules", auth).json();
            assertEquals("test_signal_high", bad.path("error").path("rule").asText());
            assertEquals("for", bad.path("error").path("field").asText());
            assertEquals(7, bad.path("error").path("line").asInt());
            assertEquals(5, bad.path("rules").size(), "last good rules stay in force");
            assertTrue(TestSupport.get(base + "/metrics").body().contains("firstline_rules_valid 0.0"));
        } finally {
            console.close();
        }
    }
}

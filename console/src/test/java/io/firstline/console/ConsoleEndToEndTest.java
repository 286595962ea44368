package io.firstline.console;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.net.IoSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A real agent and a real console in one JVM, over loopback. */
class ConsoleEndToEndTest {
    @TempDir
    Path dir;

    private IoSettings io = IoSettings.DEFAULTS;

    private ConsoleConfig config(int agentPort, int httpPort) {
        return ConsoleConfig.defaults(dir.resolve("console")).withIo(io)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", agentPort))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", httpPort))
                .withSampleInterval(Duration.ofSeconds(1));
    }

    private AgentRuntime agent(Console console, int agentPort) {
        return TestSupport.enrolledAgent(console, new AgentRuntime.Settings(List.of(new ConsoleAddress("127.0.0.1", agentPort)),
                dir.resolve("agent"), Duration.ofSeconds(1), CollectorRegistry.builtIn().select(Set.of(), Set.of())));
    }

    private TestSupport.Auth auth;

    private JsonNode agentJson(String base, String id) {
        TestSupport.Response r = get(base + "/api/agents/" + id, auth);
        return r.status() == 200 ? r.json() : null;
    }

    /** With the agent port's loops coalescing socket readiness (the default, 20 ms) and without (0 ms). */
    @ParameterizedTest
    @ValueSource(ints = {20, 0})
    void agentAppearsWithRealValuesGoesOfflineAndReturnsAfterConsoleRestart(int coalescingMs) {
        io = new IoSettings(Duration.ofMillis(coalescingMs));
        int agentPort = TestSupport.freePort();
        int httpPort = TestSupport.freePort();
        Console console = Console.start(config(agentPort, httpPort));
        String base = "http://127.0.0.1:" + httpPort;
        auth = TestSupport.adminToken(console);
        AgentRuntime agent = agent(console, agentPort);
        try {
            String id = agent.agentId();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                JsonNode a = agentJson(base, id);
                return a != null && a.path("cpuUsage").isNumber() && a.path("values").size() > 5;
            });
            JsonNode a = agentJson(base, id);
            assertEquals("online", a.path("status").asText());
            assertTrue(a.path("hostname").asText().length() > 0);
            double mem = a.path("memoryUsed").asDouble();
            assertTrue(mem > 0 && mem < 1, "memory used ratio " + mem);
            // The cheap collectors run in every sample; none fails (sensors and services may be unsupported here).
            assertTrue(a.path("collectors").size() >= 5, a.path("collectors").toString());
            a.path("collectors").forEach(c -> assertTrue(Set.of("OK", "UNSUPPORTED").contains(c.path("outcome").asText().toUpperCase()),
                    c.toString()));
            // The inventory arrives after the Welcome.
            await().atMost(Duration.ofSeconds(20)).until(() -> agentJson(base, id).path("inventory").size() > 3);
            Set<String> kinds = new java.util.HashSet<>();
            agentJson(base, id).path("inventory").forEach(i -> kinds.add(i.path("kind").asText()));
            assertTrue(kinds.containsAll(Set.of("agent", "cpu", "os")), kinds.toString());
            JsonNode list = get(base + "/api/agents", auth).json();
            assertEquals(1, list.size());
            assertEquals(id, list.get(0).path("id").asText());
            assertEquals("demo", list.get(0).path("site").asText(), "the site of the token the agent enrolled with");

            // The console goes away and comes back on the same ports: the agent returns by itself.
            console.close();
            console = Console.start(config(agentPort, httpPort));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode b = agentJson(base, id);
                return b != null && "online".equals(b.path("status").asText()) && b.path("cpuUsage").isNumber();
            });

            // The agent stops: it shows offline at once (its connection closed).
            agent.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> "offline".equals(agentJson(base, id).path("status").asText()));
            assertTrue(console.fleet().connected() == 0);
        } finally {
            agent.close();
            console.close();
        }
    }

    private static double counter(Console c, String name) {
        return c.metrics().registry().get(name).counter().count();
    }

    @Test
    void consoleOutageLosesNoSampleAndAppliesNoneTwice() {
        int agentPort = TestSupport.freePort();
        int httpPort = TestSupport.freePort();
        Console first = Console.start(config(agentPort, httpPort));
        AgentRuntime agent = agent(first, agentPort);
        Console second = null;
        boolean firstOpen = true;
        try {
            String id = agent.agentId();
            await().atMost(Duration.ofSeconds(20)).until(() -> first.fleet().committedThrough(id) >= 2);
            first.close();
            firstOpen = false;
            // Samples and inventories share the sequence.
            double appliedByFirst = counter(first, "firstline.ingest.samples") + counter(first, "firstline.ingest.inventories");
            long before = first.fleet().committedThrough(id);
            // The console is away; the agent keeps sampling into its spool.
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.pending() >= 4);
            second = Console.start(config(agentPort, httpPort));
            Console c2 = second;
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.isConnected() && agent.pending() == 0);
            agent.close();
            long highest = c2.fleet().get(id).orElseThrow().lastSequence();
            assertTrue(highest >= before + 4, "samples taken during the outage arrived: " + highest);
            assertEquals(highest, c2.fleet().committedThrough(id), "no gap: every sequence is there");
            assertEquals(0.0, counter(c2, "firstline.ingest.duplicates"), "none applied twice");
            double appliedBySecond = counter(c2, "firstline.ingest.samples") + counter(c2, "firstline.ingest.inventories");
            assertTrue(appliedByFirst + appliedBySecond >= highest, appliedByFirst + " + " + appliedBySecond + " applied, highest " + highest);
        } finally {
            agent.close();
            if (firstOpen) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }
    }
}

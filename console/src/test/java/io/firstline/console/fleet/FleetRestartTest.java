package io.firstline.console.fleet;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentIdentity;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.cli.DemoCommand;
import io.firstline.console.config.ConsoleConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet is durable: an agent is known from its enrollment on, and a
 * console restart forgets none: each shows offline with its last facts, is
 * counted offline, and raises agent_offline when silent, without reconnecting.
 */
class FleetRestartTest {
    @TempDir
    Path dir;

    private ConsoleConfig config() {
        return ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1));
    }

    private static JsonNode agent(Console c, TestSupport.Auth auth, String id) {
        TestSupport.Response r = get("http://127.0.0.1:" + c.httpPort() + "/api/agents/" + id, auth);
        return r.status() == 200 ? r.json() : null;
    }

    private static List<String> openRules(Console c, TestSupport.Auth auth, String id) {
        JsonNode list = get("http://127.0.0.1:" + c.httpPort() + "/api/tickets?agent=" + id, auth).json();
        List<String> rules = new java.util.ArrayList<>();
        list.forEach(t -> rules.add(t.path("ruleId").asText()));
        return rules;
    }

    private static String metrics(Console c) {
        return get("http://127.0.0.1:" + c.httpPort() + "/metrics").body();
    }

    @Test
    void enrolledAgentsOutliveARestartWithTheirFactsAndGoOfflineWithoutReconnecting() {
        Console console = Console.start(config());
        ConsoleAddress address = new ConsoleAddress("127.0.0.1", console.agentPort());
        TestSupport.Auth auth = TestSupport.adminToken(console);
        // One agent enrolls and never connects: it is part of the fleet at once, offline.
        Path quietDir = dir.resolve("quiet");
        DemoCommand.enrollLocalAgent(console, address, quietDir);
        String quiet = AgentIdentity.loadOrCreate(quietDir);
        JsonNode q = agent(console, auth, quiet);
        assertTrue(q != null, "an enrolled agent is listed before it ever connects");
        assertEquals("offline", q.path("status").asText());
        assertEquals("demo", q.path("site").asText());

        AgentRuntime running = TestSupport.enrolledAgent(console, new AgentRuntime.Settings(List.of(address), dir.resolve("agent"),
                Duration.ofSeconds(1), CollectorRegistry.builtIn().select(Set.of(), Set.of())));
        String id = running.agentId();
        JsonNode before;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode a = agent(console, auth, id);
                return a != null && a.path("cpuUsage").isNumber() && a.path("inventory").size() > 3;
            });
            before = agent(console, auth, id);
        } finally {
            running.close();
        }
        console.close();

        Console second = Console.start(config());
        try {
            TestSupport.Auth auth2 = TestSupport.adminToken(second);
            JsonNode after = agent(second, auth2, id);
            assertTrue(after != null, "the agent is still known after the restart");
            assertEquals("offline", after.path("status").asText());
            for (String field : List.of("hostname", "site", "os", "arch", "agentVersion")) {
                assertEquals(before.path(field).asText(), after.path(field).asText(), field);
            }
            assertTrue(after.path("lastSeen").isTextual(), "when it was last heard: " + after);
            assertTrue(after.path("inventory").size() > 3, "its inventory is kept");
            assertEquals(before.path("host").path("logicalCpus").asInt(), after.path("host").path("logicalCpus").asInt());
            AgentSummary row = second.fleet().summary(id).orElseThrow();
            assertTrue(!Double.isNaN(row.cpu()) && !Double.isNaN(row.memory()), "the fleet row keeps its last values: " + row);
            assertTrue(agent(second, auth2, quiet) != null, "the agent that never connected is still known");
            assertEquals(2, get("http://127.0.0.1:" + second.httpPort() + "/api/agents", auth2).json().size());
            assertTrue(metrics(second).contains("firstline_agents{status=\"offline\"} 2.0"), metrics(second));
            // Silent for three intervals: both raise agent_offline, though neither connected to this console.
            await().atMost(Duration.ofSeconds(20)).until(() -> openRules(second, auth2, id).contains("agent_offline")
                    && openRules(second, auth2, quiet).contains("agent_offline"));
        } finally {
            second.close();
        }
    }

    @Test
    void theStoreIsNotWrittenPerSampleButOnConnectDisconnectAndPeriodically() {
        FleetState fleet = new FleetState(java.time.Clock.systemUTC(), Duration.ofSeconds(30));
        fleet.enrolled("a1", "berlin");
        assertEquals(1, fleet.toSave(false).size(), "enrollment is saved at once");
        assertEquals(0, fleet.toSave(false).size());
        FleetState.Session s = fleet.connect(io.firstline.proto.Hello.newBuilder().setAgentId("a1").setBootEpoch(7)
                .setHost(io.firstline.proto.HostFacts.newBuilder().setHostname("h1")).build(), "127.0.0.1:1");
        List<StoredAgent> connected = fleet.toSave(false);
        assertEquals(1, connected.size(), "a connect is saved at once");
        assertEquals("h1", connected.get(0).hostname(), "with its Hello");
        for (int i = 1; i <= 10; i++) {
            s.sample(i, io.firstline.proto.Sample.newBuilder().setTimestampMs(i * 1000L).build());
        }
        assertEquals(0, fleet.toSave(false).size(), "samples alone wait for the periodic save");
        List<StoredAgent> periodic = fleet.toSave(true);
        assertEquals(1, periodic.size());
        assertEquals(null, periodic.get(0).hello(), "an unchanged Hello is not written again");
        s.closed();
        assertEquals(1, fleet.toSave(false).size(), "a disconnect is saved at once");
        fleet.saveFailed(List.of(new StoredAgent("a1", "berlin", null, null, java.time.Instant.EPOCH, null,
                Float.NaN, Float.NaN, Float.NaN, "")));
        assertEquals(1, fleet.toSave(false).size(), "a failed save is offered again");
    }
}

package io.firstline.console;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.store.StoreSettings;
import io.firstline.console.store.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two console nodes of the shipped jar on one PostgreSQL database (made for
 * the test and dropped after it) and a real agent given both addresses: the
 * agent shows online on both nodes' {@code /api/agents}; a real fault (a
 * rule any running machine breaks) makes exactly one ticket; the same alert
 * raised through both nodes at once makes one ticket; {@code kill -9} of
 * the agent's node moves it to the other, which carries its sequence ledger
 * on with no gap and no spool drop, and still one ticket. Skipped with a
 * message without PostgreSQL (a failure under FIRSTLINE_REQUIRE_TOOLS).
 */
class ClusterIT {
    private static final String RULES = """
            rules:
              - id: it_memory_in_use
                metric: memory.used_ratio
                condition: "> 0.0001"
                for: 1s
                severity: warning
                title: "Memory in use"
                description: "Every running machine uses some memory: a fault that fires at once."
                user_text: "A test fault."
            """;

    @TempDir
    Path dir;

    @Test
    void twoNodesShareTheFleetMakeOneTicketPerFaultAndTakeOverAKilledNodesAgent() throws Exception {
        StoreSettings db = TestPostgres.freshDatabase();
        try (JarFleet a = new JarFleet(dir).withConfig("""
                store:
                  url: "%s"
                  user: %s
                """.formatted(db.url(), db.user()))) {
            Files.createDirectories(a.dataDir());
            Files.writeString(a.dataDir().resolve("rules.yaml"), RULES);
            TestSupport.Auth auth = a.startConsole("cluster-it-password-1");
            JarFleet b = a.node("b");
            Files.writeString(b.dataDir().resolve("rules.yaml"), RULES);
            b.launchConsole();

            a.enrollAgent();
            a.launch("agent", JarFleet.jar("firstline.agentJar").toString(), "run",
                    "--console", "127.0.0.1:" + a.agentPort + ",127.0.0.1:" + b.agentPort,
                    "--state-dir", dir.resolve("agent-state").toString());
            JsonNode onA = await().atMost(Duration.ofSeconds(60)).until(() -> agent(a, auth), o -> o.isPresent()
                    && o.get().path("status").asText().equals("online")).orElseThrow();
            String id = onA.path("id").asText();
            assertTrue(onA.path("node").isMissingNode(), "connected to A: " + onA);
            // B shows it online too, connected to A (the shared presence, within about a second).
            JsonNode onB = await().atMost(Duration.ofSeconds(10)).until(() -> agent(b, auth), o -> o.isPresent()
                    && o.get().path("status").asText().equals("online")).orElseThrow();
            assertEquals(onA.path("hostname").asText(), onB.path("hostname").asText());
            assertTrue(onB.path("node").asText().length() > 0, "B names the node the agent is on: " + onB);

            // A real fault: one ticket, whichever node looks.
            await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "SELECT COUNT(*) FROM tickets WHERE rule_id = 'it_memory_in_use'") == 1);

            // The same alerts raised through both nodes at once: one ticket each.
            String intake = TestSupport.post(a.base + "/api/intake-tokens", auth, "{\"name\":\"cluster-it\"}").json().path("token").asText();
            for (int round = 0; round < 10; round++) {
                String alert = "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Race\"},"
                        + "\"fingerprint\":\"race" + round + "\"}]}";
                CyclicBarrier together = new CyclicBarrier(2);
                List<CompletableFuture<Integer>> posts = new ArrayList<>();
                for (JarFleet node : List.of(a, b)) {
                    posts.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            together.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return TestSupport.post(node.base + "/api/intake/alertmanager", TestSupport.bearer(intake), alert).status();
                    }));
                }
                for (CompletableFuture<Integer> p : posts) {
                    assertEquals(200, p.get());
                }
            }
            assertEquals(10, count(db, "SELECT COUNT(*) FROM tickets WHERE fault_key LIKE 'alertmanager/race%'"));
            assertEquals(10, count(db, "SELECT COUNT(DISTINCT fault_key) FROM tickets WHERE fault_key LIKE 'alertmanager/race%'"));

            // kill -9 of the agent's node: it reconnects to B within 30 s and loses nothing.
            long settledOnA = await().atMost(Duration.ofSeconds(10)).until(() -> count(db,
                    "SELECT MAX(settled_through) FROM agent_ledgers WHERE agent_id = '" + id + "'"), n -> n > 0);
            a.console().destroyForcibly().waitFor();
            long killedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> agent(b, auth), o -> o.isPresent()
                    && o.get().path("status").asText().equals("online") && o.get().path("node").isMissingNode());
            assertTrue(Duration.ofNanos(System.nanoTime() - killedAt).compareTo(Duration.ofSeconds(30)) < 0);
            // B's ledger moves on from A's without a gap (it only moves over sequences all applied) and the spool dropped nothing.
            await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "SELECT MAX(settled_through) FROM agent_ledgers"
                    + " WHERE agent_id = '" + id + "'") > settledOnA + 3);
            JsonNode detail = get(b.base + "/api/agents/" + id, auth).json();
            assertEquals(0, detail.path("spoolDropped").asLong(), detail.toString());
            assertEquals(1, count(db, "SELECT COUNT(*) FROM tickets WHERE rule_id = 'it_memory_in_use'"), "still one ticket");
            assertEquals(1, count(db, "SELECT COUNT(*) FROM fleet_presence WHERE connected = 1"), "connected to B alone");
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    /** The agent as a node's {@code /api/agents} lists it, if it does. */
    private static Optional<JsonNode> agent(JarFleet node, TestSupport.Auth auth) {
        TestSupport.Response r = get(node.base + "/api/agents", auth);
        if (r.status() != 200) {
            return Optional.empty();
        }
        for (JsonNode a : r.json()) {
            return Optional.of(a);
        }
        return Optional.empty();
    }

    private static long count(StoreSettings db, String sql) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", db.user());
        try (Connection c = DriverManager.getConnection(db.url(), p); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

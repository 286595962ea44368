package io.firstline.console;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.link.ConsoleAddress;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two console nodes of the shipped jar on one PostgreSQL database (made for
 * the test and dropped after it), two real agents whose faults flip fast
 * ({@link FlipFaults}), one connected to each node, and {@code kill -9} of
 * both nodes at the same moment mid-flow, then a restart of both: every
 * ticket committed before the kill is still there (same fault, no recurrence
 * lost), each fault key has one ticket, the live tickets are exactly the
 * faults still raised, and every raise each agent sent is one ticket's
 * opening or one of its recurrences. Skipped with a message without
 * PostgreSQL (a failure under FIRSTLINE_REQUIRE_TOOLS).
 */
class TwoNodesKillIT {
    private static final int RESOURCES = 16;

    @TempDir
    Path dir;

    /** A committed ticket as the database held it just before the kill. */
    private record Committed(String faultKey, long recurrences) {
    }

    @Test
    void bothNodesKilledAtOnceLoseNoCommittedTicketAndAccountForEveryRaise() throws Exception {
        StoreSettings db = TestPostgres.freshDatabase();
        JarFleet a = null;
        JarFleet b = null;
        try (JarFleet first = new JarFleet(dir).withConfig("""
                store:
                  url: "%s"
                  user: %s
                """.formatted(db.url(), db.user()))) {
            a = first;
            Files.createDirectories(a.dataDir());
            Files.writeString(a.dataDir().resolve("rules.yaml"), FlipFaults.RULES);
            // The one-time password replaced, as the console requires; the session is in the shared store and outlives kill -9.
            TestSupport.Auth auth = a.startConsole("two-nodes-kill-password");
            b = a.node("b");
            Files.writeString(b.dataDir().resolve("rules.yaml"), FlipFaults.RULES);
            b.launchConsole();
            Path stateA = dir.resolve("agent-a");
            Path stateB = dir.resolve("agent-b");
            a.enrollInProcess(stateA);
            b.enrollInProcess(stateB);
            JarFleet nodeA = a;
            JarFleet nodeB = b;
            try (FlipFaults faultsA = new FlipFaults(RESOURCES);
                 FlipFaults faultsB = new FlipFaults(RESOURCES);
                 // Each agent knows both nodes, its own first: one agent per node until the kill.
                 AgentRuntime agentA = AgentRuntime.start(new AgentRuntime.Settings(
                         List.of(new ConsoleAddress("127.0.0.1", a.agentPort), new ConsoleAddress("127.0.0.1", b.agentPort)),
                         stateA, Duration.ofSeconds(1), List.of(faultsA.registration())));
                 AgentRuntime agentB = AgentRuntime.start(new AgentRuntime.Settings(
                         List.of(new ConsoleAddress("127.0.0.1", b.agentPort), new ConsoleAddress("127.0.0.1", a.agentPort)),
                         stateB, Duration.ofSeconds(1), List.of(faultsB.registration())))) {
                faultsA.start();
                faultsB.start();
                // Mid-flow: both agents have raised for a while and every fault key has had a ticket.
                await().atMost(Duration.ofSeconds(60)).until(() -> agentA.rules().raisesSent() > 100
                        && agentB.rules().raisesSent() > 100 && tickets(nodeA, auth, agentA).size() == RESOURCES
                        && tickets(nodeB, auth, agentB).size() == RESOURCES);
                await().atMost(Duration.ofSeconds(10)).until(() -> count(db,
                        "SELECT COUNT(DISTINCT node_id) FROM fleet_presence WHERE connected = 1") == 2);

                Map<Long, Committed> before = committedTickets(db);
                // SIGKILL to both nodes within a millisecond, while both agents' faults flow.
                a.console().destroyForcibly();
                b.console().destroyForcibly();
                assertTrue(a.console().waitFor(10, TimeUnit.SECONDS) && b.console().waitFor(10, TimeUnit.SECONDS));
                long raisedA = agentA.rules().raisesSent();
                long raisedB = agentB.rules().raisesSent();

                a.launchConsole();
                b.launchConsole();
                // Faults flow on through the restarted nodes for a while before they settle.
                await().atMost(Duration.ofSeconds(60)).until(() -> agentA.rules().raisesSent() > raisedA + 10
                        && agentB.rules().raisesSent() > raisedB + 10 && agentA.isConnected() && agentB.isConnected());
                faultsA.settle();
                faultsB.settle();
                await().atMost(Duration.ofSeconds(10)).until(() -> faultsA.agentSettled(agentA) && faultsB.agentSettled(agentB));
                // Every raise accounted for: awaited first, asserted last, so that a failure says what else held.
                String accounting = null;
                try {
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                            .until(() -> agentA.pending() == 0 && agentB.pending() == 0
                                    && faultsA.accountedFor(tickets(nodeA, auth, agentA), agentA)
                                    && faultsB.accountedFor(tickets(nodeB, auth, agentB), agentB));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    accounting = "agent A: " + faultsA.accounting(tickets(nodeA, auth, agentA), agentA)
                            + "; agent B: " + faultsB.accounting(tickets(nodeB, auth, agentB), agentB);
                }
                // Each node answers for the whole fleet: read each agent's tickets through the other node as well.
                faultsA.assertSettledTickets(tickets(nodeB, auth, agentA));
                faultsB.assertSettledTickets(tickets(nodeA, auth, agentB));

                Map<Long, Committed> after = committedTickets(db);
                for (Map.Entry<Long, Committed> t : before.entrySet()) {
                    Committed now = after.get(t.getKey());
                    assertTrue(now != null, "ticket " + t.getKey() + " committed before the kill is gone: " + t.getValue());
                    assertEquals(t.getValue().faultKey(), now.faultKey(), "ticket " + t.getKey());
                    assertTrue(now.recurrences() >= t.getValue().recurrences(), "ticket " + t.getKey() + " lost recurrences: "
                            + t.getValue() + " before the kill, " + now + " after");
                }
                assertEquals(count(db, "SELECT COUNT(DISTINCT fault_key) FROM tickets"), count(db, "SELECT COUNT(*) FROM tickets"),
                        "one ticket per fault key");
                assertEquals(null, accounting, "every raise an agent sent is an opening or a recurrence (the tickets committed"
                        + " before the kill, " + before.size() + ", are all kept; one ticket per fault key; live = raised)");
                System.out.printf("two nodes killed at once: %d tickets committed before the kill all kept; %d and %d raises by the"
                        + " agents, %d tickets, all accounted for%n", before.size(), agentA.rules().raisesSent(),
                        agentB.rules().raisesSent(), after.size());
            }
        } finally {
            for (JarFleet node : new JarFleet[] {a, b}) {
                if (node != null) {
                    System.out.println("---- " + node.name + " log (last 4000 chars) ----\n" + node.logTail());
                }
            }
            TestPostgres.dropDatabase(db);
        }
    }

    /** The agent's flip tickets, as {@code node}'s API lists them (empty while it does not answer). */
    private static List<JsonNode> tickets(JarFleet node, TestSupport.Auth auth, AgentRuntime agent) {
        TestSupport.Response r = get(node.base + FlipFaults.TICKETS, auth);
        List<JsonNode> out = new ArrayList<>();
        if (r.status() == 200) {
            r.json().forEach(t -> {
                if (t.path("agentId").asText().equals(agent.agentId())) {
                    out.add(t);
                }
            });
        }
        return out;
    }

    /** Every ticket in the database: its fault key and recurrences, by id. */
    private static Map<Long, Committed> committedTickets(StoreSettings db) throws SQLException {
        Map<Long, Committed> out = new HashMap<>();
        try (Connection c = connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, fault_key, recurrences FROM tickets")) {
            while (rs.next()) {
                out.put(rs.getLong(1), new Committed(rs.getString(2), rs.getLong(3)));
            }
        }
        return out;
    }

    private static long count(StoreSettings db, String sql) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(StoreSettings db) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", db.user());
        return DriverManager.getConnection(db.url(), p);
    }
}

package io.firstline.console.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.FlipFaults;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL store losing its database for real (a TCP proxy between
 * console and server, cut and restored): writes fail instead of pretending,
 * /healthz answers 503 and firstline_store_up is 0, and both recover by
 * themselves when the database is back; what was committed before is there.
 */
class StoreOutageTest {
    @TempDir
    Path dir;

    private static StoreSettings viaProxy(StoreSettings direct, TcpProxy proxy) {
        return StoreSettings.postgresql(direct.url().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port()), direct.user());
    }

    private static long auditRows(Store s) {
        return s.read(c -> Sql.one(c, "SELECT COUNT(*) FROM audit_log", rs -> rs.getLong(1)).orElseThrow());
    }

    @Test
    void aLostDatabaseFailsWritesShowsInHealthAndMetricsAndRecoversByItself() throws Exception {
        StoreSettings direct = TestPostgres.freshSchema();
        assertTrue(direct.url().contains("127.0.0.1:5432"), "the proxy test expects the server on 127.0.0.1:5432: " + direct.url());
        try (TcpProxy proxy = new TcpProxy(5432);
             Console console = Console.start(ConsoleConfig.defaults(dir).withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                     .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)).withStore(viaProxy(direct, proxy)))) {
            String base = "http://127.0.0.1:" + console.httpPort();
            Store store = console.store();
            assertEquals(200, TestSupport.get(base + "/healthz").status());
            assertTrue(TestSupport.get(base + "/metrics").body().contains("firstline_store_up 1.0"));
            store.write(c -> Sql.update(c, "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (1, 't', 'before', 's', '{}')"));
            long before = auditRows(store);

            proxy.cut();
            assertThrows(StoreException.class, () -> store.write(c -> Sql.update(c,
                    "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (2, 't', 'during', 's', '{}')")));
            await().atMost(Duration.ofSeconds(10)).until(() -> TestSupport.get(base + "/healthz").status() == 503);
            assertTrue(TestSupport.get(base + "/healthz").body().contains("store unavailable"));
            assertTrue(TestSupport.get(base + "/metrics").body().contains("firstline_store_up 0.0"));

            proxy.restore();
            await().atMost(Duration.ofSeconds(15)).until(() -> TestSupport.get(base + "/healthz").status() == 200);
            assertTrue(TestSupport.get(base + "/metrics").body().contains("firstline_store_up 1.0"));
            assertEquals(before, auditRows(store), "the failed write left nothing; the committed one is there");
            store.write(c -> Sql.update(c, "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (3, 't', 'after', 's', '{}')"));
            assertEquals(before + 1, auditRows(store));
        }
    }

    private static List<JsonNode> tickets(String base, TestSupport.Auth auth) {
        TestSupport.Response r = TestSupport.get(base + FlipFaults.TICKETS, auth);
        List<JsonNode> out = new ArrayList<>();
        if (r.status() == 200) {
            r.json().forEach(out::add);
        }
        return out;
    }

    /**
     * The database goes away while a real agent's faults flow, for long enough that the agent's messages
     * fail to commit and its connection is closed again and again: nothing it was acknowledged for is lost,
     * nothing is applied twice, and it all lands once the database is back.
     */
    @Test
    void aDatabaseLostMidIngestLosesNothingAcknowledged() throws Exception {
        StoreSettings direct = TestPostgres.freshSchema();
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("rules.yaml"), FlipFaults.RULES);
        try (TcpProxy proxy = new TcpProxy(5432);
             Console console = Console.start(ConsoleConfig.defaults(data).withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                     .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)).withSampleInterval(Duration.ofSeconds(1))
                     .withStore(viaProxy(direct, proxy)));
             FlipFaults faults = new FlipFaults(8);
             AgentRuntime agent = TestSupport.enrolledAgent(console, new AgentRuntime.Settings(
                     List.of(new ConsoleAddress("127.0.0.1", console.agentPort())), dir.resolve("agent"), Duration.ofSeconds(1),
                     List.of(faults.registration())))) {
            String base = "http://127.0.0.1:" + console.httpPort();
            TestSupport.Auth admin = TestSupport.adminToken(console);
            faults.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> tickets(base, admin).size() >= 4);

            proxy.cut();
            long raisedBefore = agent.rules().raisesSent();
            await().atMost(Duration.ofSeconds(10)).until(() -> TestSupport.get(base + "/healthz").status() == 503);
            // Faults go on while the database is away: none of them can be committed, so none is acknowledged.
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.rules().raisesSent() > raisedBefore + 20);
            assertEquals(503, TestSupport.get(base + "/healthz").status());
            assertTrue(agent.pending() > 0, "the agent holds what was not acknowledged");

            proxy.restore();
            await().atMost(Duration.ofSeconds(15)).until(() -> TestSupport.get(base + "/healthz").status() == 200);
            faults.settle();
            await().atMost(Duration.ofSeconds(10)).until(() -> faults.agentSettled(agent));
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> agent.pending() == 0 && faults.accountedFor(tickets(base, admin), agent));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("not accounted for: " + faults.accounting(tickets(base, admin), agent), e);
            }
            faults.assertSettledTickets(tickets(base, admin));
            String id = agent.agentId();
            assertEquals(console.fleet().get(id).orElseThrow().lastSequence(), console.fleet().committedThrough(id),
                    "every sequence the agent sent is settled, with no gap");
        }
    }
}

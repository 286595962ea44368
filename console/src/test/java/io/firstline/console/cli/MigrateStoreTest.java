package io.firstline.console.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConfigLoader;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.store.PostgresStore;
import io.firstline.console.store.Sql;
import io.firstline.console.store.SqliteStore;
import io.firstline.console.store.Store;
import io.firstline.console.store.StoreMigration;
import io.firstline.console.store.StoreSettings;
import io.firstline.console.store.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate-store} end to end: a console on SQLite gets real data
 * through its API and a real agent (tickets and timelines, users, API,
 * enrollment and intake tokens, the audit log, the knowledge base,
 * diagnostics with output, maintenance windows); the store moves to a new
 * PostgreSQL database; a console started with the configuration migrate-store
 * printed answers the same through the API, the old API token included, and
 * keeps numbering after the copied ids. Every refusal is exit code 2, one
 * line, and leaves both stores as they were.
 */
class MigrateStoreTest {
    @TempDir
    Path dir;
    private CapturedCli cli;
    private final List<StoreSettings> databases = new ArrayList<>();

    @BeforeEach
    void capture() {
        cli = new CapturedCli();
    }

    @AfterEach
    void cleanUp() {
        cli.close();
        databases.forEach(TestPostgres::dropDatabase);
    }

    private StoreSettings freshDatabase() {
        StoreSettings s = TestPostgres.freshDatabase();
        databases.add(s);
        return s;
    }

    private static ConsoleConfig onLoopback(ConsoleConfig c) {
        return c.withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0)).withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0));
    }

    private int migrate(Path data, StoreSettings target) {
        return cli.run("migrate-store", "--data", data.toString(), "--to", target.url(), "--user", target.user());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The answers a user sees, the ones that must survive the move. */
    private static Map<String, JsonNode> answers(String base, TestSupport.Auth auth, long ticket, String article, long diagnostic) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (String path : List.of("/api/tickets?state=all", "/api/tickets/" + ticket, "/api/users", "/api/kb/" + article,
                "/api/diagnostics/" + diagnostic, "/api/maintenance-windows?all=true", "/api/tokens", "/api/intake-tokens",
                "/api/me/api-tokens")) {
            TestSupport.Response r = TestSupport.get(base + path, auth);
            assertEquals(200, r.status(), path + ": " + r.body());
            m.put(path, withoutClockFields(r.json()));
        }
        m.put("diagnostic output", new com.fasterxml.jackson.databind.node.TextNode(
                TestSupport.get(base + "/api/diagnostics/" + diagnostic + "/output", auth).body()));
        return m;
    }

    /** Drops what is not stored but computed at answer time: SLA countdowns, "last used", whether the host is online now. */
    private static JsonNode withoutClockFields(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String f : names) {
                if (f.startsWith("sla") || f.equals("lastUsedAt") || f.equals("hostStatus")) {
                    o.remove(f);
                } else {
                    withoutClockFields(o.get(f));
                }
            }
        } else if (n.isArray()) {
            n.forEach(MigrateStoreTest::withoutClockFields);
        }
        return n;
    }

    @Test
    void aConsoleMovesToPostgresqlWithEverythingItKnew() throws Exception {
        Path data = dir.resolve("data");
        Map<String, JsonNode> before;
        List<JsonNode> auditBefore = new ArrayList<>();
        long ticket;
        String article = "kb-printer-jam";
        long diagnostic;
        String token;
        try (Console console = Console.start(onLoopback(ConsoleConfig.defaults(data)));
             AgentRuntime agent = TestSupport.enrolledAgent(console, new AgentRuntime.Settings(
                     List.of(new ConsoleAddress("127.0.0.1", console.agentPort())), dir.resolve("agent"), Duration.ofSeconds(1),
                     CollectorRegistry.builtIn().select(Set.of(), Set.of())))) {
            String base = "http://127.0.0.1:" + console.httpPort();
            TestSupport.Auth admin = TestSupport.adminToken(console);
            token = admin.value().substring("Bearer ".length());
            String agentId = agent.agentId();
            await().atMost(Duration.ofSeconds(30)).until(() -> TestSupport.get(base + "/api/agents/" + agentId + "/diagnostics", admin)
                    .json().path("online").asBoolean());
            assertEquals(201, TestSupport.post(base + "/api/users", admin, "{\"username\":\"erin\",\"role\":\"engineer\"}").status());
            assertEquals(201, TestSupport.post(base + "/api/tokens", admin, "{\"site\":\"lab\",\"ttl\":\"2h\",\"maxUses\":3}").status());
            ticket = TestSupport.post(base + "/api/tickets", admin, "{\"title\":\"Printer on floor 3 jams\",\"severity\":\"warning\","
                    + "\"agentId\":\"" + agentId + "\"}").json().path("id").asLong();
            assertEquals(200, TestSupport.post(base + "/api/tickets/" + ticket + "/ack", admin, "{}").status());
            assertEquals(200, TestSupport.post(base + "/api/tickets/" + ticket + "/reply", admin,
                    "{\"text\":\"A technician is on the way\",\"public\":true}").status());
            assertEquals(201, TestSupport.post(base + "/api/kb", admin, "{\"id\":\"" + article + "\",\"title\":\"Printer paper jam\","
                    + "\"symptoms\":\"the printer stops with a jam light\",\"fix\":\"open tray 2 and pull the sheet\"}").status());
            JsonNode intake = TestSupport.post(base + "/api/intake-tokens", admin, "{\"name\":\"alertmanager\"}").json();
            assertEquals(200, TestSupport.post(base + "/api/intake/alertmanager", TestSupport.bearer(intake.path("token").asText()),
                    "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Up\",\"instance\":\""
                            + agentId + ":9100\"},\"annotations\":{\"summary\":\"down\"},\"fingerprint\":\"abc123\"}]}").status());
            assertEquals(201, TestSupport.post(base + "/api/maintenance-windows", admin, "{\"scope\":\"agent\",\"value\":\""
                    + agentId + "\",\"duration\":\"1h\",\"reason\":\"patching\"}").status());
            diagnostic = TestSupport.post(base + "/api/agents/" + agentId + "/diagnostics", admin, "{\"action\":\"routes\"}")
                    .json().path("id").asLong();
            long d = diagnostic;
            await().atMost(Duration.ofSeconds(20)).until(() -> "done".equals(TestSupport.get(base + "/api/diagnostics/" + d, admin)
                    .json().path("state").asText()));
            before = answers(base, admin, ticket, article, diagnostic);
            TestSupport.get(base + "/api/audit?limit=1000", admin).json().forEach(auditBefore::add);
        }
        assertTrue(auditBefore.size() >= 8, "the API calls were audited: " + auditBefore.size());
        Path db = data.resolve(SqliteStore.FILE_NAME);
        String sourceHash = sha256(db);
        Map<String, Long> sourceRows;
        try (Store s = SqliteStore.open(data)) {
            sourceRows = s.read(StoreMigration::counts);
        }
        assertEquals(sourceHash, sha256(db), "opening it again changed nothing (the baseline for the check below)");
        for (String t : List.of("tickets", "ticket_events", "users", "api_tokens", "audit_log", "kb_articles", "diagnostics",
                "diagnostic_chunks", "enrolled_agents", "enrollment_tokens", "intake_tokens", "maintenance_windows", "fleet_agents")) {
            assertTrue(sourceRows.get(t) > 0, t + " has rows to copy");
        }

        StoreSettings target = freshDatabase();
        assertEquals(0, migrate(data, target), cli.err());
        assertEquals(sourceHash, sha256(db), "the source store is unchanged");
        String progress = cli.err();
        for (var e : sourceRows.entrySet()) {
            assertTrue(progress.lines().anyMatch(l -> l.trim().startsWith(e.getKey() + " ")
                    && l.contains(String.format("%,d/%,d rows", e.getValue(), e.getValue()))), e.getKey() + " in: " + progress);
        }
        String printed = cli.out();
        assertTrue(printed.contains("store:\n  url: \"" + target.url() + "\"\n  user: " + target.user() + "\n"), printed);

        // The configuration as migrate-store said to write it.
        Path yaml = dir.resolve("console.yaml");
        String storeSection = printed.substring(printed.indexOf("store:"), printed.indexOf("\n\n", printed.indexOf("store:")) + 1);
        Files.writeString(yaml, "dataDir: " + data + "\n" + storeSection);
        ConsoleConfig onPostgres = onLoopback(ConfigLoader.load(yaml));
        assertEquals(target.url(), onPostgres.store().url());
        try (Console console = Console.start(onPostgres)) {
            assertEquals("postgresql", console.store().dialect());
            String base = "http://127.0.0.1:" + console.httpPort();
            TestSupport.Auth admin = TestSupport.bearer(token);
            assertEquals(before, answers(base, admin, ticket, article, diagnostic), "the same answers from PostgreSQL");
            JsonNode audit = TestSupport.get(base + "/api/audit?limit=1000", admin).json();
            String auditText = audit.toString();
            for (JsonNode e : auditBefore) {
                assertTrue(auditText.contains(e.toString()), "audit entry kept: " + e);
            }
            JsonNode found = TestSupport.get(base + "/api/kb?q=jam", admin).json();
            assertTrue(found.toString().contains(article), "full-text search finds the copied article: " + found);
            // New rows continue after the copied ids.
            long next = TestSupport.post(base + "/api/tickets", admin, "{\"title\":\"After the move\",\"severity\":\"info\"}")
                    .json().path("id").asLong();
            long highest = before.get("/api/tickets?state=all").findValues("id").stream().mapToLong(JsonNode::asLong).max().orElseThrow();
            assertTrue(next > highest, next + " after " + highest);
            assertEquals(201, TestSupport.post(base + "/api/users", admin, "{\"username\":\"frank\",\"role\":\"viewer\"}").status());
        }

        // A second copy into the now used database is refused, and changes nothing there.
        long ticketsThere;
        try (var c = PostgresStore.connect(target)) {
            ticketsThere = Sql.one(c, "SELECT COUNT(*) FROM tickets", rs -> rs.getLong(1)).orElseThrow();
        }
        assertEquals(2, migrate(data, target));
        assertRefusal("is not empty (rows in ");
        try (var c = PostgresStore.connect(target)) {
            assertEquals(ticketsThere, (long) Sql.one(c, "SELECT COUNT(*) FROM tickets", rs -> rs.getLong(1)).orElseThrow());
        }
    }

    private void assertRefusal(String says) {
        String err = cli.err();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("firstline-console migrate-store: ") && err.contains(says), err);
        assertEquals("", cli.out());
    }

    private void assertTargetUntouched(StoreSettings target) throws Exception {
        try (var c = PostgresStore.connect(target)) {
            assertEquals(Set.of(), StoreMigration.tables(c), "nothing was made in the target");
        }
    }

    @Test
    void refusesARunningConsoleAnUnreachableTargetAndNoStore() throws Exception {
        Path data = dir.resolve("data");
        StoreSettings target = freshDatabase();
        try (Console console = Console.start(onLoopback(ConsoleConfig.defaults(data)))) {
            assertEquals(2, migrate(data, target));
            assertRefusal("is running (console pid " + ProcessHandle.current().pid() + "): stop it first");
            assertTargetUntouched(target);
        }
        assertEquals(2, migrate(data, StoreSettings.postgresql("jdbc:postgresql://127.0.0.1:1/nowhere", "nobody")));
        assertRefusal("cannot reach the target jdbc:postgresql://127.0.0.1:1/nowhere as nobody");
        assertEquals(2, migrate(dir.resolve("typo"), target));
        assertRefusal("holds no embedded Firstline store");
        assertEquals(2, cli.run("migrate-store", "--data", data.toString(), "--to", "jdbc:mysql://db/firstline"));
        assertRefusal("--to must be a PostgreSQL JDBC URL");
        assertTargetUntouched(target);
    }

    /** Changes the SQLite store behind the console's back (no Flyway, which would refuse or repair what the test sets up). */
    private static void sqlite(Path data, String sql) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteStore.FILE_NAME));
             var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void refusesASourceWhoseSchemaIsNotThisConsoles() throws Exception {
        Path data = dir.resolve("data");
        Console.start(onLoopback(ConsoleConfig.defaults(data))).close();
        StoreSettings target = freshDatabase();
        sqlite(data, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                + " installed_by, execution_time, success) VALUES (9999, '9999', 'from a newer console', 'SQL', 'V9999__newer.sql',"
                + " 0, 'test', 1, 1)");
        assertEquals(2, migrate(data, target));
        assertRefusal("has schema version(s) [9999] this console does not know");
        sqlite(data, "DELETE FROM flyway_schema_history WHERE version IN ('9999', '130')");
        String hash = sha256(data.resolve(SqliteStore.FILE_NAME));
        assertEquals(2, migrate(data, target));
        assertRefusal("lacks this console's schema version(s) [130]: start the console once with this version");
        assertEquals(hash, sha256(data.resolve(SqliteStore.FILE_NAME)), "the refused source was not migrated");
        assertTargetUntouched(target);
    }
}

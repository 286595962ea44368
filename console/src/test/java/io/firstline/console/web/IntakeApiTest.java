package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.store.SqliteStore;
import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketService;
import io.firstline.console.tickets.TicketState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Alertmanager intake over real HTTP with payloads as Alertmanager sends
 * them (fixtures in {@code src/test/resources/alertmanager}): firing, re-sent,
 * resolved, grouped with invalid and hostile alerts; the intake role's
 * tokens; the body limit; and a 503 (never 429) while another process holds
 * the store's write lock.
 */
class IntakeApiTest {
    private static final String AGENT = "web-1";
    @TempDir
    static Path dir;
    static Console console;
    static String base;
    static TestSupport.Auth admin;
    static TestSupport.Auth intake;

    @BeforeAll
    static void start() {
        console = Console.start(ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
        base = "http://127.0.0.1:" + console.httpPort();
        admin = TestSupport.adminToken(console);
        console.fleet().enrolled(AGENT, "berlin");
        TestSupport.Response r = TestSupport.post(base + "/api/intake-tokens", admin, "{\"name\":\"alertmanager-prod\"}");
        assertEquals(201, r.status(), r.body());
        intake = TestSupport.bearer(r.json().path("token").asText());
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    static String fixture(String name) {
        try (InputStream in = IntakeApiTest.class.getResourceAsStream("/alertmanager/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("AGENT_ID", AGENT);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static TestSupport.Response send(String json) {
        return TestSupport.post(base + IntakeApi.ALERTMANAGER, intake, json);
    }

    /** Every ticket (any state) of one alert fingerprint. */
    private static List<Ticket> tickets(String fingerprint) {
        return console.tickets().list(new TicketService.Query("all", "", "", "", "", "", 5000)).stream()
                .filter(t -> t.faultKey().equals("alertmanager/" + fingerprint)).toList();
    }

    @Test
    void firingReSentAndResolvedMakeExactlyOneTicketThatResolvesAndReopens() {
        String rule = "5c2a3e1f8b7d9c04";
        JsonNode first = send(fixture("firing.json")).json();
        assertEquals(1, first.path("opened").asInt(), first.toString());
        for (int i = 0; i < 3; i++) {
            JsonNode again = send(fixture("firing.json")).json();
            assertEquals(1, again.path("unchanged").asInt(), "a re-send changes nothing: " + again);
        }
        List<Ticket> all = tickets(rule);
        assertEquals(1, all.size(), "one live ticket per fingerprint");
        Ticket t = all.get(0);
        assertEquals("NodeFilesystemAlmostOutOfSpace: Filesystem has less than 3% space left.", t.title());
        assertEquals(AGENT, t.agentId(), "mapped by the instance label, port dropped");
        assertEquals("critical", t.severity().label());
        assertEquals("alertmanager/5c2a3e1f8b7d9c04", t.faultKey());
        assertTrue(t.description().contains("only 2.91% available"), t.description());

        JsonNode resolved = send(fixture("resolved.json")).json();
        assertEquals(1, resolved.path("resolved").asInt(), resolved.toString());
        assertEquals(TicketState.RESOLVED, tickets(rule).get(0).state());
        assertEquals(1, send(fixture("resolved.json")).json().path("unchanged").asInt(), "a re-sent resolve changes nothing");

        // It fires again within the reopen window: the same ticket reopens, with a recurrence counted.
        assertEquals(1, send(fixture("firing.json")).json().path("reopened").asInt());
        List<Ticket> after = tickets(rule);
        assertEquals(1, after.size());
        assertEquals(TicketState.OPEN, after.get(0).state());
        assertEquals(1, after.get(0).recurrences());
        send(fixture("resolved.json"));
    }

    @Test
    void anEngineersResolveIsNotUndoneByTheNextReSend() {
        String json = fixture("firing.json").replace("5c2a3e1f8b7d9c04", "aa00aa00aa00aa00");
        long id = send(json).json().path("tickets").get(0).asLong();
        console.tickets().resolve(id, "erin", "fixed by hand");
        assertEquals(1, send(json).json().path("unchanged").asInt(), "still the same firing alert");
        assertEquals(TicketState.RESOLVED, console.tickets().get(id).orElseThrow().state());
    }

    @Test
    void aGroupedPayloadTakesTheValidAlertsAndReportsTheRest() {
        TestSupport.Response r = send(fixture("grouped.json"));
        assertEquals(200, r.status(), r.body());
        JsonNode j = r.json();
        assertEquals(3, j.path("accepted").asInt(), j.toString());
        assertEquals(3, j.path("rejected").size(), j.toString());
        assertEquals(3, j.path("rejected").get(0).path("index").asInt());
        assertTrue(j.path("rejected").get(0).path("error").asText().contains("alertname"));
        assertTrue(j.path("rejected").get(1).path("error").asText().contains("status"));
        assertTrue(j.path("rejected").get(2).path("error").asText().contains("must be a string"));
        Ticket down = tickets("0f1e2d3c4b5a6978").get(0);
        assertEquals("", down.agentId(), "no known agent is db-7");
        assertEquals("db-7.example.net", down.hostname(), "the alert's host is shown even without an agent");
        Ticket hostile = tickets("2f1e2d3c4b5a6978").get(0);
        assertEquals("<img src=x onerror=alert(1)>: <b>bold</b> & 'quoted'", hostile.title(), "stored as sent, escaped where shown");
        assertEquals("info", hostile.severity().label());
        assertEquals("alertmanager:<img src=x onerror=alert(1)>", hostile.ruleId());
    }

    @Test
    void invalidPayloadsAre400AndNothingIsStored() {
        int before = console.tickets().list(new TicketService.Query("all", "", "", "", "", "", 5000)).size();
        for (String bad : List.of("", "[]", "not json", "{\"version\":\"3\",\"alerts\":[]}", "{\"version\":4,\"alerts\":[]}",
                "{\"version\":\"4\"}", "{\"version\":\"4\",\"alerts\":{}}",
                "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{}}]}")) {
            TestSupport.Response r = send(bad);
            assertEquals(400, r.status(), bad + " -> " + r.body());
            assertFalse(r.json().path("error").asText().isEmpty());
        }
        assertEquals(before, console.tickets().list(new TicketService.Query("all", "", "", "", "", "", 5000)).size());
    }

    @Test
    void onlyALiveIntakeTokenOpensTheIntakeAndItOpensNothingElse() {
        assertEquals(401, TestSupport.post(base + IntakeApi.ALERTMANAGER, TestSupport.Auth.NONE, fixture("firing.json")).status());
        assertEquals(401, TestSupport.post(base + IntakeApi.ALERTMANAGER, admin, fixture("firing.json")).status(),
                "a user's API token is not an intake token");
        assertEquals(401, TestSupport.get(base + "/api/tickets", intake).status(), "an intake token reads nothing");
        assertEquals(401, TestSupport.post(base + "/api/intake-tokens", intake, "{}").status(), "nor makes tokens");
        assertEquals(401, TestSupport.get(base + "/api/me", intake).status());

        TestSupport.Response made = TestSupport.post(base + "/api/intake-tokens", admin, "{}");
        TestSupport.Auth other = TestSupport.bearer(made.json().path("token").asText());
        long id = made.json().path("id").asLong();
        assertEquals(200, TestSupport.post(base + IntakeApi.ALERTMANAGER, other,
                "{\"version\":\"4\",\"alerts\":[]}").status());
        JsonNode listed = TestSupport.get(base + "/api/intake-tokens", admin).json();
        JsonNode mine = null;
        for (JsonNode n : listed) {
            if (n.path("id").asLong() == id) {
                mine = n;
            }
        }
        assertEquals("intake", mine.path("name").asText());
        assertFalse(mine.path("lastUsedAt").isNull(), "use is recorded");
        assertFalse(listed.toString().contains(made.json().path("token").asText()), "the secret is never listed");
        assertEquals(204, TestSupport.send(admin.apply(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/api/intake-tokens/" + id))).DELETE()).status());
        assertEquals(401, TestSupport.post(base + IntakeApi.ALERTMANAGER, other, "{\"version\":\"4\",\"alerts\":[]}").status(),
                "revoked");
        assertEquals(404, TestSupport.send(admin.apply(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/api/intake-tokens/" + id))).DELETE()).status());
        assertEquals(400, TestSupport.post(base + "/api/intake-tokens", admin, "{\"name\":\"bad\\u0000name\"}").status());
    }

    @Test
    void bodiesUpToOneMebibyteAreTakenAndLargerAre413() {
        StringBuilder many = new StringBuilder("{\"version\":\"4\",\"alerts\":[");
        int n = 0;
        while (many.length() < 900 * 1024) {
            if (n > 0) {
                many.append(',');
            }
            many.append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"Bulk\",\"n\":\"").append(n)
                    .append("\",\"padding\":\"").append("x".repeat(200)).append("\"}}");
            n++;
        }
        many.append("]}");
        TestSupport.Response ok = send(many.toString());
        assertEquals(200, ok.status(), "a payload far above the 64 KiB default limit is taken: " + ok.body().length());
        assertEquals(n, ok.json().path("opened").asInt(), "every alert of the batch is a ticket (fingerprints from labels)");
        String big = "{\"version\":\"4\",\"alerts\":[],\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertEquals(413, send(big).status());
        assertEquals(413, TestSupport.post(base + "/api/intake-tokens", admin,
                "{\"name\":\"" + "x".repeat(100 * 1024) + "\"}").status(), "other routes keep the 64 KiB limit");
    }

    @Test
    void whileTheStoreCannotWriteTheIntakeAnswers503SoAlertmanagerRetries() throws Exception {
        String json = fixture("firing.json").replace("5c2a3e1f8b7d9c04", "bb00bb00bb00bb00");
        Path db = console.config().dataDir().resolve(SqliteStore.FILE_NAME);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = other.createStatement()) {
            s.execute("PRAGMA busy_timeout = 1000");
            s.execute("BEGIN EXCLUSIVE");
            // The store waits out its busy timeout (10 s) before it gives up, so this client waits longer.
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(intake.apply(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + IntakeApi.ALERTMANAGER)))
                    .timeout(Duration.ofSeconds(40)).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("retry-after").isPresent());
            s.execute("ROLLBACK");
        }
        assertEquals(1, send(json).json().path("opened").asInt(), "the retry is stored");
    }
}

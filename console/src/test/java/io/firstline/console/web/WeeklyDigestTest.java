package io.firstline.console.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.firstline.console.Console;
import io.firstline.console.MutableClock;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.Role;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.reports.WeeklyDigest;
import io.firstline.console.store.Sql;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weekly digest through the real notification path: a real console with
 * notifications.yaml naming a generic webhook (and a PagerDuty one, which
 * takes no digest) on a receiver this test runs on 127.0.0.1; tickets from
 * faults during the week; the digest goes out once on Monday morning, also
 * across a restart, and an admin can preview it and send one by hand.
 */
class WeeklyDigestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z")); // a Sunday
    final List<String> received = new CopyOnWriteArrayList<>();
    HttpServer receiver;
    Console console;
    long sequence;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().getPath() + " " + new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            try (OutputStream ignored = exchange.getResponseBody()) {
                // no body
            }
        });
        receiver.start();
        Path data = dir.resolve("console");
        Files.createDirectories(data);
        Files.writeString(data.resolve("rules.yaml"), ReportsApiTest.RULES);
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Files.writeString(data.resolve("notifications.yaml"), "webhooks:\n"
                + "  - { name: ops, url: \"" + url + "/ops\", format: generic }\n"
                + "  - { name: pager, url: \"" + url + "/pd\", format: pagerduty, routing_key: R0UTE }\n");
    }

    @AfterEach
    void stop() {
        if (console != null) {
            console.close();
        }
        receiver.stop(0);
    }

    Console startConsole() {
        return Console.start(ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)), clock);
    }

    long digestRows(String where) {
        return console.store().read(c -> Sql.one(c, "SELECT COUNT(*) FROM report_digests WHERE " + where, rs -> rs.getLong(1))
                .orElse(0L));
    }

    List<JsonNode> digests(String path) {
        return received.stream().filter(r -> r.startsWith(path + " ")).map(r -> {
            try {
                return JSON.readTree(r.substring(path.length() + 1));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).filter(n -> n.path("event").asText().equals("digest")).toList();
    }

    void fault(String agent, String rule, Duration resolveAfter) {
        Instant at = clock.instant();
        FaultKey key = new FaultKey(agent, rule, "/");
        console.tickets().apply(new FaultEvent(key, true, "m", 1, 0.5, at, at, "", 3, ++sequence));
        clock.advance(resolveAfter);
        Instant cleared = clock.instant();
        console.tickets().apply(new FaultEvent(key, false, "m", 0, 0.5, cleared, cleared, "recovered", 3, ++sequence));
    }

    @Test
    void onceAWeekOnMondayThroughTheOutboxAndByHand() throws Exception {
        console = startConsole();
        assertTrue(console.rules().status().valid(), "the test rules: " + console.rules().status().error());
        // A new console sends nothing for the week it starts in: its first digest is next Monday's.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            console.digest().sendIfDue();
            return digestRows("week_ms IS NOT NULL") == 1;
        });
        assertEquals(Instant.parse("2026-11-23T08:00:00Z"), WeeklyDigest.weekStart(clock.instant()));

        ReportMachines.connect(console, clock, "a1", "hq", "12", "1.2.0");
        ReportMachines.connect(console, clock, "b1", "branch", "12", "1.2.0");
        clock.set(Instant.parse("2026-11-29T11:00:00Z"));
        fault("a1", "filesystem_read_only", Duration.ofMinutes(30));
        clock.set(Instant.parse("2026-11-29T12:00:00Z"));
        fault("b1", "filesystem_read_only", Duration.ofMinutes(10));
        clock.set(Instant.parse("2026-11-30T06:00:00Z"));
        fault("a1", "memory_pressure", Duration.ofMinutes(2));

        // Monday before 08:00: not due yet. At 08:05: due, once.
        clock.set(Instant.parse("2026-11-30T07:59:00Z"));
        assertTrue(console.digest().sendIfDue().isEmpty());
        clock.set(Instant.parse("2026-11-30T08:05:00Z"));
        WeeklyDigest.Sent sent = console.digest().sendIfDue().orElseThrow();
        assertEquals(List.of("ops"), sent.targets(), "generic webhooks only");
        assertTrue(console.digest().sendIfDue().isEmpty(), "once a week");

        await().atMost(Duration.ofSeconds(15)).until(() -> digests("/ops").size() == 1);
        JsonNode d = digests("/ops").get(0).path("digest");
        assertEquals("2026-11-23T08:05:00Z", d.path("from").asText());
        assertEquals(3, d.path("tickets").asInt());
        assertEquals(3, d.path("rows").size(), "by rule and machine kind: Lenovo at hq twice, Dell at the branch");
        assertEquals("filesystem_read_only", d.path("rows").get(0).path("rule").asText());
        assertEquals("Dell Inc. Latitude 7440", d.path("rows").get(0).path("hardware").asText());
        String text = d.path("text").asText();
        assertTrue(text.startsWith("Firstline: common problems 2026-11-23 to 2026-11-30\n"), text);
        assertTrue(text.contains("3 tickets in the last 7 days (0 in the 7 days before)"), text);
        assertTrue(text.contains("filesystem_read_only on Debian GNU/Linux 12, LENOVO 20XW0026GE, agent 1.2.0, site hq: 1 ticket on 1 machine,"
                + " new this week, resolved in 30 min on average"), text);
        assertEquals("/reports?days=7", d.path("link").asText());
        assertTrue(digests("/pd").isEmpty(), "PagerDuty takes incidents, not reports");

        // A restart within the same week sends nothing more.
        console.close();
        console = startConsole();
        assertTrue(console.digest().sendIfDue().isEmpty());
        assertEquals(1, digestRows("week_ms = " + Instant.parse("2026-11-30T08:00:00Z").toEpochMilli()));

        // An admin previews it and sends one by hand; an engineer may not.
        String base = "http://127.0.0.1:" + console.httpPort();
        TestSupport.Auth admin = TestSupport.adminToken(console);
        TestSupport.Response preview = TestSupport.get(base + "/api/reports/digest", admin);
        assertEquals(200, preview.status(), preview.body());
        assertEquals("digest", preview.json().path("event").asText());
        assertEquals(text, preview.json().path("digest").path("text").asText(), "nothing changed since");
        assertEquals(1, digests("/ops").size(), "a preview sends nothing");
        TestSupport.user(console, "erin", Role.ENGINEER);
        TestSupport.Auth erin = TestSupport.bearer(console.accounts().createApiToken("erin", "test"));
        assertEquals(403, TestSupport.post(base + "/api/reports/digest", erin, "{}").status());
        assertEquals(403, TestSupport.get(base + "/api/reports/digest", erin).status());
        TestSupport.Response byHand = TestSupport.post(base + "/api/reports/digest", admin, "{}");
        assertEquals(201, byHand.status(), byHand.body());
        assertEquals("ops", byHand.json().path("targets").get(0).asText());
        await().atMost(Duration.ofSeconds(15)).until(() -> digests("/ops").size() == 2);
        assertEquals(1, digestRows("week_ms IS NULL AND created_by = 'admin'"));

        // The next Monday brings the next one.
        clock.set(Instant.parse("2026-12-07T09:00:00Z"));
        assertTrue(console.digest().sendIfDue().isPresent());
        await().atMost(Duration.ofSeconds(15)).until(() -> digests("/ops").size() == 3);
        assertEquals(0, digests("/ops").get(2).path("digest").path("tickets").asInt());
        assertTrue(digests("/ops").get(2).path("digest").path("text").asText().contains("0 tickets in the last 7 days (3 in the 7 days before)"));
    }
}

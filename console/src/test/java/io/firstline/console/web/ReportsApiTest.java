package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.Console;
import io.firstline.console.MutableClock;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The common-problems report of a real console over real HTTP: machines
 * enrolled with tokens of two sites, connected with their Hello and
 * inventory, faults raised and cleared through the ticket service over two
 * months of a hand-moved clock. The figures are worked out by hand; a
 * machine upgraded later keeps its old tickets under its old OS and agent
 * version (the ticket's snapshot), and bad parameters answer 400.
 */
class ReportsApiTest {
    /** Only these rules (the default pack's console rules, such as agent_offline, would open tickets of their own). */
    static final String RULES = """
            rules:
              - id: filesystem_read_only
                metric: fs.read_only
                condition: "== 1"
                for: 0s
                severity: critical
                title: "File system {resource} turned read-only"
                description: "The file system was remounted read-only."
                user_text: "Files cannot be saved."
              - id: memory_pressure
                metric: memory.used_ratio
                condition: "> 0.95"
                for: 0s
                severity: warning
                title: "Memory pressure"
                description: "Memory is almost full."
                user_text: "Your computer may be slow."
            """;

    @TempDir
    static Path dir;
    static Console console;
    static String base;
    static TestSupport.Auth admin;
    static final MutableClock clock = new MutableClock(Instant.parse("2026-09-29T00:00:00Z"));
    static final AtomicLong sequence = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        Path data = dir.resolve("console");
        Files.createDirectories(data);
        Files.writeString(data.resolve("rules.yaml"), RULES);
        console = Console.start(ConsoleConfig.defaults(data)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)), clock);
        base = "http://127.0.0.1:" + console.httpPort();
        admin = TestSupport.adminToken(console);
        assertTrue(console.rules().status().valid(), "the test rules: " + console.rules().status().error());

        machine("a1", "hq", "12", "1.2.0");
        machine("a2", "hq", "12", "1.2.0");
        machine("a3", "hq", "12", "1.2.0");
        machine("b1", "branch", "12", "1.2.0");

        // The month before (09-29 .. 10-29): two read-only file systems at hq, resolved after 10 minutes.
        clock.advance(Duration.ofDays(5));
        fault("a1", "filesystem_read_only", "/", Duration.ofMinutes(10));
        clock.advance(Duration.ofDays(5));
        fault("a2", "filesystem_read_only", "/", Duration.ofMinutes(10));

        // This month (10-29 .. 11-28): four, on three machines; a1's comes back after the reopen window (a new, linked ticket).
        clock.set(Instant.parse("2026-11-01T10:00:00Z"));
        fault("a1", "filesystem_read_only", "/", Duration.ofMinutes(10));
        clock.advance(Duration.ofDays(4));
        fault("a2", "filesystem_read_only", "/", Duration.ofMinutes(20));
        clock.advance(Duration.ofDays(15));
        fault("a1", "filesystem_read_only", "/", Duration.ofHours(1));
        clock.advance(Duration.ofDays(3));
        fault("a3", "filesystem_read_only", "/", null);
        fault("b1", "memory_pressure", "", Duration.ofSeconds(90));

        // a3 is upgraded afterwards: its old ticket stays under Debian 12 and agent 1.2.0; a new fault counts under the new ones.
        clock.advance(Duration.ofDays(1));
        machine("a3", "hq", "13", "1.3.0");
        fault("a3", "memory_pressure", "", Duration.ofMinutes(5));
        clock.set(Instant.parse("2026-11-28T00:00:00Z"));
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    static void machine(String id, String site, String osVersion, String agentVersion) throws Exception {
        ReportMachines.connect(console, clock, id, site, osVersion, agentVersion);
    }

    /** Raises a fault now and, after {@code resolveAfter} (null: never), clears it, which resolves its ticket. */
    static void fault(String agent, String rule, String resource, Duration resolveAfter) {
        FaultKey key = new FaultKey(agent, rule, resource);
        Instant at = clock.instant();
        console.tickets().apply(new FaultEvent(key, true, "m", 1, 0.5, at, at, "", 1, sequence.incrementAndGet()));
        if (resolveAfter != null) {
            clock.advance(resolveAfter);
            Instant cleared = clock.instant();
            console.tickets().apply(new FaultEvent(key, false, "m", 0, 0.5, cleared, cleared, "recovered", 1,
                    sequence.incrementAndGet()));
        }
    }

    static JsonNode report(String query) {
        TestSupport.Response r = TestSupport.get(base + "/api/reports/common-problems" + query, admin);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    static JsonNode row(JsonNode report, String rule, String os) {
        for (JsonNode r : report.path("rows")) {
            if (r.path("rule").asText().equals(rule) && r.path("os").asText().equals(os)) {
                return r;
            }
        }
        throw new AssertionError("no row " + rule + " / " + os + " in " + report);
    }

    @Test
    void theFiguresOfAMonthAgainstTheMonthBefore() {
        JsonNode r = report("?days=30");
        assertEquals("2026-10-29T00:00:00Z", r.path("from").asText());
        assertEquals("2026-11-28T00:00:00Z", r.path("to").asText());
        assertEquals("2026-09-29T00:00:00Z", r.path("previousFrom").asText());
        assertEquals(List.of("rule", "os", "hardware", "agentVersion", "site"),
                List.of(r.path("groupBy").get(0).asText(), r.path("groupBy").get(1).asText(), r.path("groupBy").get(2).asText(),
                        r.path("groupBy").get(3).asText(), r.path("groupBy").get(4).asText()));
        assertEquals(3, r.path("rows").size(), r.toString());

        JsonNode ro = r.path("rows").get(0);
        assertEquals("filesystem_read_only", ro.path("rule").asText());
        assertEquals("Debian GNU/Linux 12", ro.path("os").asText());
        assertEquals("LENOVO 20XW0026GE", ro.path("hardware").asText());
        assertEquals("1.2.0", ro.path("agentVersion").asText());
        assertEquals("hq", ro.path("site").asText());
        assertEquals(4, ro.path("tickets").asInt());
        assertEquals(3, ro.path("machines").asInt());
        assertEquals(2, ro.path("previousTickets").asInt());
        assertEquals("up", ro.path("trend").asText());
        assertEquals(1.0, ro.path("change").asDouble());
        assertEquals(3, ro.path("resolved").asInt());
        assertEquals((600 + 1200 + 3600) / 3.0, ro.path("mttrSeconds").asDouble());
        assertEquals(3600.0, ro.path("p90ResolveSeconds").asDouble());
        assertEquals(0.75, ro.path("recurrenceRate").asDouble(),
                "a1's and a2's faults had tickets before (last month's, and a1's of 11-01): 3 of 4 came back; a3's is its first");

        JsonNode branch = row(r, "memory_pressure", "Debian GNU/Linux 12");
        assertEquals("Dell Inc. Latitude 7440", branch.path("hardware").asText());
        assertEquals("branch", branch.path("site").asText());
        assertEquals("new", branch.path("trend").asText());
        assertTrue(branch.path("change").isNull());
        assertEquals(90.0, branch.path("mttrSeconds").asDouble());

        JsonNode upgraded = row(r, "memory_pressure", "Debian GNU/Linux 13");
        assertEquals("1.3.0", upgraded.path("agentVersion").asText());
        assertEquals(1, upgraded.path("machines").asInt());
        assertEquals(300.0, upgraded.path("mttrSeconds").asDouble());
    }

    @Test
    void groupedFilteredSortedAndDaily() {
        JsonNode byRule = report("?days=30&groupBy=rule&site=hq");
        assertEquals(2, byRule.path("rows").size(), byRule.toString());
        assertEquals("filesystem_read_only", byRule.path("rows").get(0).path("rule").asText());
        assertTrue(byRule.path("rows").get(0).path("os").isNull(), "not grouped by OS");
        assertEquals(1, byRule.path("rows").get(1).path("tickets").asInt(), "a3's memory pressure after its upgrade");

        JsonNode lenovo = report("?days=30&hardware=lenovo%2020xw0026ge&os=Debian%20GNU/Linux&groupBy=hardware");
        assertEquals(1, lenovo.path("rows").size());
        assertEquals(5, lenovo.path("rows").get(0).path("tickets").asInt());

        JsonNode fastest = report("?days=30&sort=mttrSeconds&order=asc&limit=1");
        assertEquals(1, fastest.path("rows").size());
        assertEquals(3, fastest.path("totalRows").asInt());
        assertEquals(90.0, fastest.path("rows").get(0).path("mttrSeconds").asDouble());

        JsonNode daily = report("?days=7&groupBy=rule&daily=true&rule=filesystem_read_only");
        JsonNode days = daily.path("rows").get(0).path("daily");
        assertEquals(7, days.size());
        assertEquals(1, days.get(2).asInt(), "a3's fault on 11-23 is day 2 of 11-21 .. 11-28: " + days);

        JsonNode year = report("?days=90");
        assertEquals(0, year.path("previousTickets").asInt());
        assertEquals(8, year.path("tickets").asInt());
    }

    @Test
    void csvExportHasTheSameRows() {
        TestSupport.Response csv = TestSupport.get(base + "/api/reports/common-problems.csv?days=30", admin);
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        List<String> lines = csv.body().lines().toList();
        assertEquals("rule,os,hardware,agentVersion,site,tickets,machines,previousTickets,trend,change,resolved,mttrSeconds,"
                + "p90ResolveSeconds,recurrenceRate", lines.get(0));
        assertEquals("filesystem_read_only,Debian GNU/Linux 12,LENOVO 20XW0026GE,1.2.0,hq,4,3,2,up,1,3,1800,3600,0.75", lines.get(1));
        assertEquals(4, lines.size());
    }

    @Test
    void badParametersAre400AndAnonymousIs401() {
        for (String q : List.of("?days=0", "?days=100000", "?days=abc", "?groupBy=planet", "?groupBy=rule,,site", "?sort=color",
                "?order=up", "?limit=0", "?daily=yes", "?source=robot", "?site=" + "x".repeat(201))) {
            TestSupport.Response r = TestSupport.get(base + "/api/reports/common-problems" + q, admin);
            assertEquals(400, r.status(), q + ": " + r.body());
            assertTrue(r.json().path("error").asText().contains("'"), r.body());
        }
        assertEquals(401, TestSupport.get(base + "/api/reports/common-problems?days=30").status());
        assertEquals(401, TestSupport.get(base + "/api/reports/common-problems.csv?days=30").status());
    }
}

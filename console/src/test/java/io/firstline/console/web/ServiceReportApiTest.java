package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.Console;
import io.firstline.console.MutableClock;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.Role;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.tickets.TicketSweeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service report of a real console over real HTTP: tickets opened by
 * faults and by an engineer's POST, acknowledged, assigned and resolved by
 * an engineer over the API, escalated and breached by the real sweeper, a
 * fault that flaps, on a hand-moved clock. The figures are worked out by hand.
 */
class ServiceReportApiTest {
    @TempDir
    static Path dir;
    static Console console;
    static String base;
    static TestSupport.Auth admin;
    static TestSupport.Auth erin;
    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    static long sequence;

    @BeforeAll
    static void start() throws Exception {
        Path data = dir.resolve("console");
        Files.createDirectories(data);
        Files.writeString(data.resolve("rules.yaml"), ReportsApiTest.RULES);
        console = Console.start(ConsoleConfig.defaults(data)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)), clock);
        base = "http://127.0.0.1:" + console.httpPort();
        admin = TestSupport.adminToken(console);
        assertTrue(console.rules().status().valid(), "the test rules: " + console.rules().status().error());
        TestSupport.user(console, "erin", Role.ENGINEER);
        erin = TestSupport.bearer(console.accounts().createApiToken("erin", "test"));
        ReportMachines.connect(console, clock, "m1", "hq", "12", "1.2.0");
        ReportMachines.connect(console, clock, "m2", "branch", "12", "1.2.0");
        TicketSweeper sweeper = new TicketSweeper(console.tickets());

        // T1: m1's file system turns read-only; erin acknowledges after 5 min, takes it and resolves it at 65 min.
        clock.set(Instant.parse("2026-11-02T09:00:00Z"));
        long t1 = raise("m1", "filesystem_read_only", "/");
        clock.advance(Duration.ofMinutes(5));
        action(t1, "ack", "{}");
        action(t1, "assign", "{\"assignee\":\"erin\"}");
        clock.advance(Duration.ofMinutes(60));
        action(t1, "resolve", "{\"note\":\"fsck and remount\"}");

        // T2: memory pressure on m1 clears after 10 min, comes back 20 min later (a flap), clears again after 30 min.
        clock.set(Instant.parse("2026-11-03T09:00:00Z"));
        long t2 = raise("m1", "memory_pressure", "");
        clock.advance(Duration.ofMinutes(10));
        clear("m1", "memory_pressure", "");
        clock.advance(Duration.ofMinutes(20));
        assertEquals(t2, raise("m1", "memory_pressure", ""), "reopens its ticket");
        clock.advance(Duration.ofMinutes(30));
        clear("m1", "memory_pressure", "");

        // T3: m2's file system at the branch: nobody acknowledges; the sweeper escalates twice and records both breaches.
        clock.set(Instant.parse("2026-11-05T12:00:00Z"));
        raise("m2", "filesystem_read_only", "/");
        clock.advance(Duration.ofMinutes(20));
        sweeper.sweep();
        clock.advance(Duration.ofMinutes(15));
        sweeper.sweep();
        clock.advance(Duration.ofHours(5));
        sweeper.sweep();
        clock.advance(Duration.ofMinutes(25));
        clear("m2", "filesystem_read_only", "/");

        // T4: erin opens a ticket by hand about m2 and acknowledges it an hour later.
        clock.set(Instant.parse("2026-11-10T08:00:00Z"));
        TestSupport.Response opened = TestSupport.post(base + "/api/tickets", erin,
                "{\"title\":\"VPN drops every hour\",\"severity\":\"info\",\"agentId\":\"m2\"}");
        assertEquals(201, opened.status(), opened.body());
        clock.advance(Duration.ofHours(1));
        action(opened.json().path("id").asLong(), "ack", "{}");

        // Report within T4's 7-day SLA, so the background sweeper has nothing left to record.
        clock.set(Instant.parse("2026-11-16T00:00:00Z"));
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    static long raise(String agent, String rule, String resource) {
        Instant at = clock.instant();
        return console.tickets().apply(new io.firstline.console.tickets.FaultEvent(new io.firstline.console.tickets.FaultKey(agent,
                rule, resource), true, "m", 1, 0.5, at, at, "", 7, ++sequence)).ticket().orElseThrow().id();
    }

    static void clear(String agent, String rule, String resource) {
        Instant at = clock.instant();
        console.tickets().apply(new io.firstline.console.tickets.FaultEvent(new io.firstline.console.tickets.FaultKey(agent, rule,
                resource), false, "m", 0, 0.5, at, at, "recovered", 7, ++sequence));
    }

    static void action(long ticket, String action, String body) {
        TestSupport.Response r = TestSupport.post(base + "/api/tickets/" + ticket + "/" + action, erin, body);
        assertEquals(200, r.status(), action + ": " + r.body());
    }

    static JsonNode group(JsonNode list, String field, String key) {
        return StreamSupport.stream(list.spliterator(), false).filter(g -> g.path(field).asText().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + field + " " + key + " in " + list));
    }

    @Test
    void theFiguresOfTheMonth() {
        TestSupport.Response res = TestSupport.get(base + "/api/reports/service?days=30", admin);
        assertEquals(200, res.status(), res.body());
        JsonNode r = res.json();
        assertEquals("2026-10-17T00:00:00Z", r.path("from").asText());
        assertEquals(4, r.path("tickets").asInt());
        assertEquals(2, r.path("acknowledged").asInt(), "T1 and T4");
        assertEquals(3, r.path("resolved").asInt(), "T1, T2, T3");

        JsonNode ack = r.path("timeToAcknowledge");
        assertEquals(List.of(2, 1950.0, 300.0, 3600.0), List.of(ack.path("all").path("count").asInt(),
                ack.path("all").path("meanSeconds").asDouble(), ack.path("all").path("p50Seconds").asDouble(),
                ack.path("all").path("p90Seconds").asDouble()));
        assertEquals(300.0, group(ack.path("bySeverity"), "severity", "critical").path("meanSeconds").asDouble());
        assertEquals(3600.0, group(ack.path("bySite"), "site", "branch").path("meanSeconds").asDouble());

        JsonNode resolve = r.path("timeToResolve");
        assertEquals(List.of(3, 9100.0, 3900.0, 21600.0), List.of(resolve.path("all").path("count").asInt(),
                resolve.path("all").path("meanSeconds").asDouble(), resolve.path("all").path("p50Seconds").asDouble(),
                resolve.path("all").path("p90Seconds").asDouble()), "T1 65 min, T2 30 min (its latest cycle), T3 6 h");
        assertEquals(12750.0, group(resolve.path("bySeverity"), "severity", "critical").path("meanSeconds").asDouble());
        assertEquals(1800.0, group(resolve.path("bySite"), "site", "hq").path("p50Seconds").asDouble());
        assertEquals(3900.0, group(resolve.path("byAssignee"), "assignee", "erin").path("meanSeconds").asDouble());
        assertEquals(21600.0, group(resolve.path("byAssignee"), "assignee", "oncall-lead").path("meanSeconds").asDouble(),
                "the second escalation step assigned T3");
        JsonNode nobody = group(resolve.path("byAssignee"), "assignee", "");
        assertEquals(2, nobody.path("tickets").asInt(), "T2 and T4");
        assertEquals(1, nobody.path("count").asInt());

        assertEquals(1, r.path("slaBreaches").path("ack").asInt());
        assertEquals(1, r.path("slaBreaches").path("resolve").asInt());
        assertEquals(1, r.path("slaBreaches").path("tickets").asInt());
        assertEquals(0.25, r.path("slaBreaches").path("rate").asDouble());
        assertEquals(2, r.path("resolvedAutomatically").path("count").asInt());
        assertEquals(0.667, r.path("resolvedAutomatically").path("share").asDouble());
        assertEquals(1, r.path("reopened").path("count").asInt());
        assertEquals(0.25, r.path("reopened").path("rate").asDouble());
        assertEquals(2, r.path("escalations").asInt());

        JsonNode noisy = r.path("noisiestRules");
        assertEquals(2, noisy.size(), noisy.toString());
        assertEquals("memory_pressure", noisy.get(0).path("rule").asText());
        assertEquals(List.of(2, 1, 1, 1), List.of(noisy.get(0).path("raises").asInt(), noisy.get(0).path("flaps").asInt(),
                noisy.get(0).path("tickets").asInt(), noisy.get(0).path("machines").asInt()));
        assertEquals("filesystem_read_only", noisy.get(1).path("rule").asText());
        assertEquals(List.of(2, 0, 2, 2), List.of(noisy.get(1).path("raises").asInt(), noisy.get(1).path("flaps").asInt(),
                noisy.get(1).path("tickets").asInt(), noisy.get(1).path("machines").asInt()));

        JsonNode busy = r.path("busiestMachines");
        assertEquals(List.of("m1", "m2"), List.of(busy.get(0).path("agentId").asText(), busy.get(1).path("agentId").asText()));
        assertEquals(2, busy.get(1).path("tickets").asInt());
        assertEquals("branch", busy.get(1).path("site").asText());
        assertEquals("pc-m2", busy.get(1).path("hostname").asText());
    }

    @Test
    void aPeriodWithoutTicketsAndBadDays() {
        JsonNode week = TestSupport.get(base + "/api/reports/service?days=1", admin).json();
        assertEquals(0, week.path("tickets").asInt());
        assertTrue(week.path("slaBreaches").path("rate").isNull());
        assertTrue(week.path("timeToResolve").path("all").path("p90Seconds").isNull());
        for (String days : List.of("0", "100000", "x")) {
            assertEquals(400, TestSupport.get(base + "/api/reports/service?days=" + days, admin).status());
        }
    }
}

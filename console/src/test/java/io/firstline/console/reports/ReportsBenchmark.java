package io.firstline.console.reports;

import io.firstline.console.MutableClock;
import io.firstline.console.store.SqliteStore;
import io.firstline.console.store.Store;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the reports take over a large store, run by
 * {@code bench/reports.sh} (never by {@code ./mvnw verify}): TICKETS tickets
 * (default 200,000) spread over 180 days on 10,000 machines of 12 kinds at 20
 * sites, each with its timeline (raised, resolved, some reopened and
 * escalated), in a real SQLite store; then the common-problems report over 7,
 * 30 and 90 days (each also reads the period before) and the service report
 * over 30 days, five times each, the best and the median printed.
 */
@Tag("benchmark")
class ReportsBenchmark {
    static final int TICKETS = Integer.getInteger("bench.tickets", 200_000);

    @TempDir
    Path dir;

    @Test
    void reportsOverALargeStore() throws Exception {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        MutableClock clock = new MutableClock(now);
        try (Store store = SqliteStore.open(dir)) {
            long fill = System.nanoTime();
            fill(store, now);
            System.out.printf("filled %,d tickets in %.1f s%n", TICKETS, (System.nanoTime() - fill) / 1e9);
            Reports reports = new Reports(store, clock);
            System.out.printf("%-36s %10s %10s %8s%n", "report", "best ms", "median ms", "rows");
            for (int days : new int[] {7, 30, 90}) {
                time("common problems, " + days + " days", () -> reports.commonProblems(days, CommonProblems.Query.defaults()).totalRows());
            }
            time("service, 30 days", () -> reports.service(30).tickets());
        }
    }

    private interface Run {
        int run();
    }

    private static void time(String name, Run r) {
        long[] ms = new long[5];
        int rows = 0;
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            rows = r.run();
            ms[i] = (System.nanoTime() - t) / 1_000_000;
        }
        java.util.Arrays.sort(ms);
        System.out.printf("%-36s %10d %10d %8d%n", name, ms[0], ms[2], rows);
    }

    private static void fill(Store store, Instant now) {
        String[] rules = {"filesystem_read_only", "disk_almost_full", "memory_pressure", "cpu_saturated", "interface_down",
            "high_iowait", "oom_kill", "process_crashed", "dns_unreachable", "battery_worn"};
        String[] kinds = {"LENOVO 20XW", "LENOVO 21CB", "Dell Inc. Latitude 7440", "Dell Inc. OptiPlex 7010", "HP EliteBook 840 G9",
            "HP ProDesk 400", "Apple Inc. MacBookPro18,3", "Apple Inc. Mac14,2", "Framework Laptop 13", "ASUS ExpertBook B9",
            "Acer TravelMate P2", "Microsoft Surface Laptop 5"};
        String[][] oses = {{"Ubuntu", "24.04"}, {"Ubuntu", "22.04"}, {"Debian GNU/Linux", "12 (bookworm)"}, {"Windows", "11 23H2"},
            {"macOS", "15.1"}};
        SplittableRandom r = new SplittableRandom(42);
        store.write(c -> {
            try (PreparedStatement t = c.prepareStatement("INSERT INTO tickets (id, fault_key, agent_id, rule_id, resource, site,"
                    + " hostname, severity, state, title, description, user_text, kb_articles, recurrences, previous_ticket_id,"
                    + " fault_active, muted, opened_at_ms, acked_at_ms, resolved_at_ms, updated_at_ms, source, sla_started_at_ms,"
                    + " sla_ack_breached, sla_resolve_breached, os_family, os_version, hardware, agent_version, assignee)"
                    + " VALUES (?, ?, ?, ?, '', ?, ?, 'warning', ?, 't', '', '', '', ?, NULL, 0, 0, ?, ?, ?, ?, 'fault', ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement e = c.prepareStatement("INSERT INTO ticket_events (ticket_id, at_ms, kind, actor, detail)"
                         + " VALUES (?, ?, ?, ?, '{}')")) {
                for (int i = 1; i <= TICKETS; i++) {
                    int machine = r.nextInt(10_000);
                    int kind = machine % kinds.length;
                    long opened = now.toEpochMilli() - (long) (r.nextDouble() * Duration.ofDays(180).toMillis());
                    boolean resolved = r.nextDouble() < 0.9;
                    long resolvedAt = opened + 60_000 + r.nextInt(8 * 3_600_000);
                    boolean acked = r.nextDouble() < 0.5;
                    boolean reopened = r.nextDouble() < 0.1;
                    String agent = String.format("m%05d", machine);
                    t.setLong(1, i);
                    t.setString(2, agent + "/" + rules[r.nextInt(rules.length)] + "/" + i);
                    t.setString(3, agent);
                    t.setString(4, rules[(machine + r.nextInt(3)) % rules.length]);
                    t.setString(5, "site-" + machine % 20);
                    t.setString(6, "host-" + agent);
                    t.setString(7, resolved ? "resolved" : "open");
                    t.setInt(8, reopened ? 1 : 0);
                    t.setLong(9, opened);
                    if (acked) {
                        t.setLong(10, opened + 30_000 + r.nextInt(3_600_000));
                    } else {
                        t.setNull(10, java.sql.Types.BIGINT);
                    }
                    if (resolved) {
                        t.setLong(11, resolvedAt);
                    } else {
                        t.setNull(11, java.sql.Types.BIGINT);
                    }
                    t.setLong(12, opened);
                    t.setLong(13, opened);
                    t.setInt(14, r.nextDouble() < 0.05 ? 1 : 0);
                    t.setInt(15, r.nextDouble() < 0.08 ? 1 : 0);
                    t.setString(16, oses[machine % oses.length][0]);
                    t.setString(17, oses[machine % oses.length][1]);
                    t.setString(18, kinds[kind]);
                    t.setString(19, machine % 3 == 0 ? "1.5.0" : "1.4.2");
                    t.setString(20, acked ? "eng-" + machine % 8 : null);
                    t.addBatch();
                    event(e, i, opened, "raised", "fault");
                    if (resolved) {
                        event(e, i, resolvedAt, "resolved", r.nextBoolean() ? "fault" : "erin");
                    }
                    if (reopened) {
                        event(e, i, resolvedAt + 600_000, "reopened", "fault");
                    }
                    if (i % 5_000 == 0) {
                        t.executeBatch();
                        e.executeBatch();
                    }
                }
                t.executeBatch();
                e.executeBatch();
            }
            return null;
        });
    }

    private static void event(PreparedStatement e, long ticket, long at, String kind, String actor) throws java.sql.SQLException {
        e.setLong(1, ticket);
        e.setLong(2, at);
        e.setString(3, kind);
        e.setString(4, actor);
        e.addBatch();
    }
}

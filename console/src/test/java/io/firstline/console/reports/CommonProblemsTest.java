package io.firstline.console.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.firstline.console.reports.CommonProblems.Dimension;
import io.firstline.console.reports.CommonProblems.Query;
import io.firstline.console.reports.CommonProblems.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The common-problems figures from a fixture of tickets whose answers are worked out by hand. */
class CommonProblemsTest {
    static final Instant NOW = Instant.parse("2026-11-29T00:00:00Z");
    static final Period MONTH = Period.ending(NOW, 30); // [10-30, 11-29), previous [09-30, 10-30)

    static ReportTicket ticket(long id, String agent, String rule, String os, String version, String hw, String site,
                               String opened, Long resolveSeconds, boolean recurred) {
        Instant at = Instant.parse(opened);
        return new ReportTicket(id, agent, "host-" + agent, rule, "fault", "critical", site, os, version, hw, "1.2.0", "",
                at, at, null, resolveSeconds == null ? null : at.plusSeconds(resolveSeconds), 0, recurred, false, false, false, 0,
                resolveSeconds != null);
    }

    static final List<ReportTicket> FIXTURE = List.of(
            // read-only file systems on one laptop model: 4 now on 3 machines (one came back), 2 the month before
            ticket(1, "a1", "filesystem_read_only", "Debian GNU/Linux", "12", "LENOVO 20XW", "hq", "2026-11-01T10:00:00Z", 600L, false),
            ticket(2, "a2", "filesystem_read_only", "Debian GNU/Linux", "12", "LENOVO 20XW", "hq", "2026-11-05T10:00:00Z", 1200L, false),
            ticket(3, "a1", "filesystem_read_only", "Debian GNU/Linux", "12", "LENOVO 20XW", "hq", "2026-11-20T10:00:00Z", 3600L, true),
            ticket(4, "a3", "filesystem_read_only", "Debian GNU/Linux", "12", "LENOVO 20XW", "hq", "2026-11-28T23:59:59Z", null, false),
            ticket(5, "b1", "memory_pressure", "Ubuntu", "24.04", "Dell Latitude 7440", "branch", "2026-11-10T08:00:00Z", 60L, false),
            ticket(6, "a1", "filesystem_read_only", "Debian GNU/Linux", "12", "LENOVO 20XW", "hq", "2026-10-10T10:00:00Z", 100L, false),
            ticket(7, "a2", "filesystem_read_only", "Debian GNU/Linux", "12", "LENOVO 20XW", "hq", "2026-10-15T10:00:00Z", 100L, false),
            ticket(8, "a4", "disk_almost_full", "Debian GNU/Linux", "12", "LENOVO 20XW", "hq", "2026-10-20T10:00:00Z", 100L, false),
            // before both periods, and at the very end (to is exclusive): not counted
            ticket(9, "a1", "filesystem_read_only", "Debian GNU/Linux", "12", "LENOVO 20XW", "hq", "2026-09-01T10:00:00Z", 1L, false),
            ticket(10, "a1", "filesystem_read_only", "Debian GNU/Linux", "12", "LENOVO 20XW", "hq", "2026-11-29T00:00:00Z", 1L, false));

    static Query query(String sort, boolean desc) {
        return new Query(EnumSet.allOf(Dimension.class), Map.of(), "", sort, desc, 100, true);
    }

    @Test
    void everyFigureOfEveryGroup() {
        CommonProblems.Report r = CommonProblems.compute(FIXTURE, MONTH, Query.defaults());
        assertEquals(3, r.rows().size());
        assertEquals(5, r.tickets());
        assertEquals(3, r.previousTickets());
        Row ro = r.rows().get(0);
        assertEquals("filesystem_read_only", ro.rule());
        assertEquals("Debian GNU/Linux 12", ro.os());
        assertEquals("LENOVO 20XW", ro.hardware());
        assertEquals("1.2.0", ro.agentVersion());
        assertEquals("hq", ro.site());
        assertEquals(4, ro.tickets());
        assertEquals(3, ro.machines());
        assertEquals(2, ro.previousTickets());
        assertEquals("up", ro.trend());
        assertEquals(1.0, ro.change());
        assertEquals(3, ro.resolved());
        assertEquals(1800.0, ro.mttrSeconds(), "(600 + 1200 + 3600) / 3; the open one does not count");
        assertEquals(3600.0, ro.p90ResolveSeconds(), "nearest rank: ceil(0.9 * 3) = 3rd of 3");
        assertEquals(0.25, ro.recurrenceRate());

        Row mem = r.rows().get(1);
        assertEquals("memory_pressure", mem.rule());
        assertEquals("Ubuntu 24.04", mem.os());
        assertEquals("new", mem.trend());
        assertNull(mem.change());
        assertEquals(60.0, mem.mttrSeconds());
        assertEquals(0.0, mem.recurrenceRate());

        Row disk = r.rows().get(2);
        assertEquals("disk_almost_full", disk.rule());
        assertEquals(0, disk.tickets());
        assertEquals(1, disk.previousTickets());
        assertEquals("gone", disk.trend());
        assertEquals(-1.0, disk.change());
        assertNull(disk.mttrSeconds());
        assertNull(disk.p90ResolveSeconds());
        assertNull(disk.recurrenceRate());
    }

    @Test
    void ticketsPerDayOfThePeriod() {
        Row ro = CommonProblems.compute(FIXTURE, MONTH, query("tickets", true)).rows().get(0);
        int[] expected = new int[30];
        expected[2] = 1;   // 11-01 is day 2 from 10-30
        expected[6] = 1;   // 11-05
        expected[21] = 1;  // 11-20
        expected[29] = 1;  // 11-28 23:59:59, the last day
        assertArrayEquals(expected, ro.daily());
        assertNull(CommonProblems.compute(FIXTURE, MONTH, Query.defaults()).rows().get(0).daily(), "only when asked for");
    }

    @Test
    void groupingByFewerDimensionsAddsGroupsUpAndLeavesTheOthersOut() {
        Query byRule = new Query(EnumSet.of(Dimension.RULE), Map.of(Dimension.SITE, "HQ"), "", "tickets", true, 100, false);
        CommonProblems.Report r = CommonProblems.compute(FIXTURE, MONTH, byRule);
        assertEquals(List.of(Dimension.RULE), r.groupBy());
        assertEquals(2, r.rows().size(), "memory_pressure is at the branch site");
        Row ro = r.rows().get(0);
        assertEquals("filesystem_read_only", ro.rule());
        assertNull(ro.os());
        assertNull(ro.site());
        assertEquals(4, ro.tickets());

        Query bySite = new Query(EnumSet.of(Dimension.SITE), Map.of(), "", "site", false, 100, false);
        List<Row> sites = CommonProblems.compute(FIXTURE, MONTH, bySite).rows();
        assertEquals(List.of("branch", "hq"), sites.stream().map(Row::site).toList());
        assertEquals(List.of(1, 4), sites.stream().map(Row::tickets).toList());
        assertEquals(List.of(0, 3), sites.stream().map(Row::previousTickets).toList());
    }

    @Test
    void filtersMatchTheOsFamilyAloneAndTheSource() {
        Query debian = new Query(EnumSet.allOf(Dimension.class), Map.of(Dimension.OS, "debian gnu/linux"), "", "tickets", true, 100, false);
        assertEquals(2, CommonProblems.compute(FIXTURE, MONTH, debian).rows().size());
        Query exact = new Query(EnumSet.allOf(Dimension.class), Map.of(Dimension.OS, "Ubuntu 24.04"), "", "tickets", true, 100, false);
        assertEquals(List.of("memory_pressure"), CommonProblems.compute(FIXTURE, MONTH, exact).rows().stream().map(Row::rule).toList());
        Query users = new Query(EnumSet.allOf(Dimension.class), Map.of(), "user", "tickets", true, 100, false);
        assertEquals(0, CommonProblems.compute(FIXTURE, MONTH, users).rows().size());
    }

    @Test
    void sortedByAnyColumnWithNullsLastAndCutToTheLimit() {
        assertEquals(List.of("memory_pressure", "filesystem_read_only", "disk_almost_full"),
                CommonProblems.compute(FIXTURE, MONTH, query("mttrSeconds", false)).rows().stream().map(Row::rule).toList());
        assertEquals(List.of("filesystem_read_only", "memory_pressure", "disk_almost_full"),
                CommonProblems.compute(FIXTURE, MONTH, query("mttrSeconds", true)).rows().stream().map(Row::rule).toList());
        assertEquals(List.of("disk_almost_full", "filesystem_read_only", "memory_pressure"),
                CommonProblems.compute(FIXTURE, MONTH, query("rule", false)).rows().stream().map(Row::rule).toList());
        CommonProblems.Report cut = CommonProblems.compute(FIXTURE, MONTH, query("change", true).withLimit(1));
        assertEquals(1, cut.rows().size());
        assertEquals(3, cut.totalRows());
        assertEquals("filesystem_read_only", cut.rows().get(0).rule());
        assertThrows(IllegalArgumentException.class, () -> query("planet", true));
    }

    @Test
    void periodsAreOneToAYearAndTheTrendIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> Period.ending(NOW, 0));
        assertThrows(IllegalArgumentException.class, () -> Period.ending(NOW, 100_000));
        assertEquals(NOW.minus(Duration.ofDays(14)), Period.ending(NOW, 7).previousFrom());
        assertEquals("flat", CommonProblems.trend(3, 3));
        assertEquals("down", CommonProblems.trend(1, 3));
        assertEquals("flat", CommonProblems.trend(0, 0));
    }

    @Test
    void percentilesAreNearestRank() {
        List<Double> ten = List.of(10.0, 1.0, 9.0, 2.0, 8.0, 3.0, 7.0, 4.0, 6.0, 5.0);
        assertEquals(9.0, Stats.percentile(ten, 90));
        assertEquals(5.0, Stats.percentile(ten, 50));
        assertEquals(10.0, Stats.percentile(ten, 100));
        assertEquals(5.5, Stats.mean(ten));
        assertNull(Stats.percentile(List.of(), 90));
        assertEquals(7.0, Stats.percentile(List.of(7.0), 90));
    }

    @Test
    void csvQuotesAndDefusesFormulas() {
        String csv = new Csv().row(java.util.Arrays.asList("a,b", "say \"hi\"", "=cmd|' /C calc'!A0", 3, 0.25, null, "-1")).toString();
        assertEquals("\"a,b\",\"say \"\"hi\"\"\",'=cmd|' /C calc'!A0,3,0.25,,'-1\r\n", csv);
    }
}

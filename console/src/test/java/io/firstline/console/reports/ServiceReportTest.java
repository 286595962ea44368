package io.firstline.console.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The service figures from a fixture of tickets and timeline entries whose answers are worked out by hand. */
class ServiceReportTest {
    static final Period WEEK = Period.ending(Instant.parse("2026-11-29T00:00:00Z"), 7); // [11-22, 11-29)

    static ReportTicket ticket(long id, String agent, String severity, String site, String assignee, String opened, Long ackAfter,
                               Long resolveAfter, boolean reopened, boolean ackBreach, boolean resolveBreach, int escalations,
                               boolean auto) {
        Instant at = Instant.parse(opened);
        return new ReportTicket(id, agent, "host-" + agent, "rule-" + id, "fault", severity, site, "Linux", "6", "hw", "1.0",
                assignee, at, at, ackAfter == null ? null : at.plusSeconds(ackAfter),
                resolveAfter == null ? null : at.plusSeconds(resolveAfter), 0, false, reopened, ackBreach, resolveBreach,
                escalations, auto);
    }

    static ReportRepository.Event event(long ticket, String at, String kind, String rule, String agent) {
        return new ReportRepository.Event(ticket, Instant.parse(at), kind, "fault", "{}", rule, agent, "host-" + agent);
    }

    @Test
    void timesRatesAndNoise() {
        List<ReportTicket> tickets = List.of(
                ticket(1, "a", "critical", "hq", "erin", "2026-11-22T10:00:00Z", 60L, 600L, false, false, false, 0, false),
                ticket(2, "a", "critical", "hq", "", "2026-11-23T10:00:00Z", null, 1200L, true, true, false, 1, true),
                ticket(3, "b", "warning", "branch", "erin", "2026-11-24T10:00:00Z", 240L, null, false, true, true, 2, false),
                ticket(4, "", "info", "", "", "2026-11-25T10:00:00Z", 120L, 120L, false, false, false, 0, false),
                ticket(5, "a", "info", "hq", "", "2026-11-01T10:00:00Z", 1L, 1L, true, true, true, 5, true)); // before the week
        List<ReportRepository.Event> events = List.of(
                event(9, "2026-11-21T23:30:00Z", "resolved", "disk", "c"),      // a clear just before the period...
                event(9, "2026-11-22T00:10:00Z", "reopened", "disk", "c"),      // ...makes this raise a flap
                event(1, "2026-11-22T10:00:00Z", "raised", "cpu", "a"),
                event(1, "2026-11-22T10:10:00Z", "resolved", "cpu", "a"),
                event(1, "2026-11-22T10:40:00Z", "reopened", "cpu", "a"),       // flap: 30 min after the clear
                event(1, "2026-11-22T12:00:00Z", "fault_cleared", "cpu", "a"),
                event(1, "2026-11-22T14:00:00Z", "fault_raised", "cpu", "a"),   // 2 h later: not a flap
                event(3, "2026-11-24T10:00:00Z", "raised", "cpu", "b"),
                event(3, "2026-11-24T10:05:00Z", "recurred", "cpu", "b"),
                event(7, "2026-11-29T00:00:00Z", "raised", "late", "d"));       // at the end (exclusive): not counted
        ServiceReport.Report r = ServiceReport.compute(tickets, events, WEEK);

        assertEquals(4, r.tickets());
        assertEquals(3, r.acknowledged());
        assertEquals(3, r.resolved());
        ServiceReport.Durations ack = r.times().all().toAcknowledge();
        assertEquals(3, ack.count());
        assertEquals(140.0, ack.meanSeconds());
        assertEquals(120.0, ack.p50Seconds());
        assertEquals(240.0, ack.p90Seconds());
        ServiceReport.Durations resolve = r.times().all().toResolve();
        assertEquals(List.of(3, 640.0, 600.0, 1200.0), List.of(resolve.count(), resolve.meanSeconds(), resolve.p50Seconds(),
                resolve.p90Seconds()));

        assertEquals(List.of("critical", "info", "warning"), r.times().bySeverity().stream().map(ServiceReport.Group::key).toList());
        ServiceReport.Group critical = r.times().bySeverity().get(0);
        assertEquals(2, critical.tickets());
        assertEquals(1, critical.toAcknowledge().count());
        assertEquals(900.0, critical.toResolve().meanSeconds());
        assertEquals(List.of("", "branch", "hq"), r.times().bySite().stream().map(ServiceReport.Group::key).toList());
        assertEquals(List.of("", "erin"), r.times().byAssignee().stream().map(ServiceReport.Group::key).toList());
        ServiceReport.Group erin = r.times().byAssignee().get(1);
        assertEquals(150.0, erin.toAcknowledge().meanSeconds());
        assertNull(r.times().bySite().get(1).toResolve().meanSeconds(), "branch's one ticket is not resolved");

        assertEquals(2, r.ackBreaches());
        assertEquals(1, r.resolveBreaches());
        assertEquals(2, r.breached());
        assertEquals(0.5, r.slaBreachRate());
        assertEquals(1, r.resolvedAutomatically());
        assertEquals(0.333, r.autoResolvedShare());
        assertEquals(1, r.reopened());
        assertEquals(0.25, r.reopenRate());
        assertEquals(3, r.escalations());

        assertEquals(List.of(new ServiceReport.NoisyRule("cpu", 5, 1, 2, 2), new ServiceReport.NoisyRule("disk", 1, 1, 1, 1)),
                r.noisiestRules());
        assertEquals(List.of(new ServiceReport.BusyMachine("a", "host-a", "hq", 2), new ServiceReport.BusyMachine("b", "host-b", "branch", 1)),
                r.busiestMachines());
    }

    @Test
    void anEmptyPeriodHasNoFiguresToDivide() {
        ServiceReport.Report r = ServiceReport.compute(List.of(), List.of(), WEEK);
        assertEquals(0, r.tickets());
        assertNull(r.slaBreachRate());
        assertNull(r.autoResolvedShare());
        assertNull(r.reopenRate());
        assertNull(r.times().all().toAcknowledge().p90Seconds());
        assertEquals(List.of(), r.noisiestRules());
    }
}

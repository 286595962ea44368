package io.firstline.console.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.console.store.Sql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The SQL of the reports: tickets by the time they opened, and their timelines. Portable, parameterised. */
final class ReportRepository {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who resolves a ticket without being a person: the console when the fault clears, an alerting system. */
    static boolean automatic(String actor) {
        return actor.equals("fault") || actor.equals("console") || actor.startsWith("alertmanager");
    }

    /** One timeline entry with its ticket's rule, machine and host name, for the figures that count events. */
    record Event(long ticketId, Instant at, String kind, String actor, String detail, String ruleId, String agentId,
                 String hostname) {
    }

    /** What the timeline says about one ticket. */
    private static final class Story {
        String resolver;
        boolean reopened;
        boolean ackBreached;
        boolean resolveBreached;
        int escalations;
    }

    private ReportRepository() {
    }

    /** Tickets opened in {@code [from, to)}, oldest first. */
    static List<ReportTicket> openedBetween(Connection c, Instant from, Instant to) throws SQLException {
        Map<Long, Story> stories = new HashMap<>();
        for (Event e : Sql.list(c, "SELECT e.ticket_id, e.at_ms, e.kind, e.actor, e.detail, t.rule_id, t.agent_id, t.hostname"
                        + " FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.opened_at_ms >= ? AND t.opened_at_ms < ?"
                        + " AND e.kind IN ('resolved', 'reopened', 'sla_breached', 'escalated') ORDER BY e.id",
                ReportRepository::event, from.toEpochMilli(), to.toEpochMilli())) {
            Story s = stories.computeIfAbsent(e.ticketId(), k -> new Story());
            switch (e.kind()) {
                case "resolved" -> s.resolver = e.actor();
                case "reopened" -> s.reopened = true;
                case "escalated" -> s.escalations++;
                default -> {
                    String target = target(e.detail());
                    s.ackBreached |= target.equals("ack");
                    s.resolveBreached |= target.equals("resolve");
                }
            }
        }
        Story none = new Story();
        return Sql.list(c, "SELECT id, agent_id, hostname, rule_id, source, severity, site, os_family, os_version, hardware,"
                        + " agent_version, assignee, opened_at_ms, sla_started_at_ms, acked_at_ms, resolved_at_ms, recurrences,"
                        + " previous_ticket_id, sla_ack_breached, sla_resolve_breached FROM tickets"
                        + " WHERE opened_at_ms >= ? AND opened_at_ms < ? ORDER BY id",
                rs -> {
                    long id = rs.getLong("id");
                    Story s = stories.getOrDefault(id, none);
                    Instant resolved = instant(rs, "resolved_at_ms");
                    return new ReportTicket(id, rs.getString("agent_id"), rs.getString("hostname"), rs.getString("rule_id"),
                            rs.getString("source"), rs.getString("severity"), rs.getString("site"), rs.getString("os_family"),
                            rs.getString("os_version"), rs.getString("hardware"), rs.getString("agent_version"),
                            rs.getString("assignee"), Instant.ofEpochMilli(rs.getLong("opened_at_ms")),
                            Instant.ofEpochMilli(rs.getLong("sla_started_at_ms")), instant(rs, "acked_at_ms"), resolved,
                            rs.getInt("recurrences"), Sql.longOrNull(rs, "previous_ticket_id") != null, s.reopened,
                            s.ackBreached || rs.getInt("sla_ack_breached") == 1,
                            s.resolveBreached || rs.getInt("sla_resolve_breached") == 1, s.escalations,
                            resolved != null && s.resolver != null && automatic(s.resolver));
                }, from.toEpochMilli(), to.toEpochMilli());
    }

    /** Timeline entries of the kinds given, made in {@code [from, to)}, in order, with their ticket's rule and machine. */
    static List<Event> eventsBetween(Connection c, Instant from, Instant to, List<String> kinds) throws SQLException {
        String marks = String.join(", ", Collections.nCopies(kinds.size(), "?"));
        Object[] args = new Object[kinds.size() + 2];
        args[0] = from.toEpochMilli();
        args[1] = to.toEpochMilli();
        for (int i = 0; i < kinds.size(); i++) {
            args[i + 2] = kinds.get(i);
        }
        return Sql.list(c, "SELECT e.ticket_id, e.at_ms, e.kind, e.actor, e.detail, t.rule_id, t.agent_id, t.hostname"
                + " FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.at_ms >= ? AND e.at_ms < ?"
                + " AND e.kind IN (" + marks + ") ORDER BY e.id", ReportRepository::event, args);
    }

    private static String target(String detail) {
        try {
            return JSON.readTree(detail).path("target").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Long v = Sql.longOrNull(rs, column);
        return v == null ? null : Instant.ofEpochMilli(v);
    }

    private static Event event(ResultSet rs) throws SQLException {
        return new Event(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8));
    }
}

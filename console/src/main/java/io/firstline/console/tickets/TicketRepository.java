package io.firstline.console.tickets;

import io.firstline.console.store.Sql;
import io.firstline.rules.Severity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The SQL of tickets, their timelines and fault states. Portable, parameterised. */
final class TicketRepository {
    private static final String COLUMNS = "id, fault_key, agent_id, rule_id, resource, site, hostname, severity, state,"
            + " title, description, user_text, kb_articles, escalation_level, assignee, recurrences, previous_ticket_id,"
            + " fault_active, muted, opened_at_ms, acked_at_ms, resolved_at_ms, closed_at_ms, updated_at_ms, source";

    /** The console's record of one fault key. */
    record FaultRow(String faultKey, boolean active, long bootEpoch, long sequence, Instant raisedAt) {
    }

    /** Filters of the ticket list; empty strings mean "any". */
    record Filter(String state, String severity, String agent, String rule, String site, String text, int limit, String source) {
    }

    private TicketRepository() {
    }

    static Optional<FaultRow> fault(Connection c, String key) throws SQLException {
        return Sql.one(c, "SELECT fault_key, active, boot_epoch, sequence, raised_at_ms FROM faults WHERE fault_key = ?",
                rs -> new FaultRow(rs.getString(1), rs.getInt(2) == 1, rs.getLong(3), rs.getLong(4),
                        Instant.ofEpochMilli(rs.getLong(5))), key);
    }

    static void raiseFault(Connection c, FaultEvent e, boolean exists) throws SQLException {
        FaultKey k = e.key();
        if (exists) {
            Sql.update(c, "UPDATE faults SET active = 1, raised_at_ms = ?, cleared_at_ms = NULL, value = ?, boot_epoch = ?,"
                    + " sequence = ? WHERE fault_key = ?", e.at().toEpochMilli(), e.value(), e.bootEpoch(), e.sequence(), k.value());
        } else {
            Sql.update(c, "INSERT INTO faults (fault_key, agent_id, rule_id, resource, active, raised_at_ms, value, boot_epoch,"
                    + " sequence) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)", k.value(), k.agentId(), k.ruleId(), k.resource(),
                    e.at().toEpochMilli(), e.value(), e.bootEpoch(), e.sequence());
        }
    }

    static void clearFault(Connection c, FaultEvent e) throws SQLException {
        Sql.update(c, "UPDATE faults SET active = 0, cleared_at_ms = ?, value = ?, boot_epoch = ?, sequence = ? WHERE fault_key = ?",
                e.at().toEpochMilli(), e.value(), e.bootEpoch(), e.sequence(), e.key().value());
    }

    /**
     * A fault first heard of by its clear: an inactive row that holds the clear's place in the agent's sequence, so
     * that an older raise of it still on its way (spooled while the console was away, overtaken by this live clear)
     * is recognised as history when it arrives.
     */
    static void clearedFault(Connection c, FaultEvent e) throws SQLException {
        FaultKey k = e.key();
        Sql.update(c, "INSERT INTO faults (fault_key, agent_id, rule_id, resource, active, raised_at_ms, cleared_at_ms, value,"
                + " boot_epoch, sequence) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?)", k.value(), k.agentId(), k.ruleId(), k.resource(),
                e.at().toEpochMilli(), e.at().toEpochMilli(), e.value(), e.bootEpoch(), e.sequence());
    }

    /** Records that an event was seen without changing the fault's state (a repeat raise). */
    static void touchFault(Connection c, FaultEvent e) throws SQLException {
        Sql.update(c, "UPDATE faults SET value = ?, boot_epoch = ?, sequence = ? WHERE fault_key = ?",
                e.value(), e.bootEpoch(), e.sequence(), e.key().value());
    }

    /**
     * Records that a sequenced fault event is applied; false if it already
     * was (a replay). Runs in the transaction that applies it.
     */
    static boolean recordApplied(Connection c, FaultEvent e, long nowMs) throws SQLException {
        return Sql.update(c, "INSERT INTO fault_events_applied (agent_id, boot_epoch, sequence, applied_at_ms) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (agent_id, boot_epoch, sequence) DO NOTHING",
                e.key().agentId(), e.bootEpoch(), e.sequence(), nowMs) == 1;
    }

    /**
     * Forgets the applied events of one agent's boot epoch that it can no longer send: those below
     * {@code oldestPending}, or all of the epoch when it holds nothing of it ({@code oldestPending} 0).
     */
    static int forgetApplied(Connection c, String agentId, long bootEpoch, long oldestPending) throws SQLException {
        return oldestPending > 0
                ? Sql.update(c, "DELETE FROM fault_events_applied WHERE agent_id = ? AND boot_epoch = ? AND sequence < ?",
                        agentId, bootEpoch, oldestPending)
                : Sql.update(c, "DELETE FROM fault_events_applied WHERE agent_id = ? AND boot_epoch = ?", agentId, bootEpoch);
    }

    /** Forgets applied events recorded before {@code beforeMs} (the safety bound for epochs an agent never names again). */
    static int forgetAppliedBefore(Connection c, long beforeMs) throws SQLException {
        return Sql.update(c, "DELETE FROM fault_events_applied WHERE applied_at_ms < ?", beforeMs);
    }

    /** Active faults of one agent, as (rule, resource) pairs. */
    static List<FaultKey> activeFaults(Connection c, String agentId) throws SQLException {
        return Sql.list(c, "SELECT agent_id, rule_id, resource FROM faults WHERE agent_id = ? AND active = 1 ORDER BY fault_key",
                rs -> new FaultKey(rs.getString(1), rs.getString(2), rs.getString(3)), agentId);
    }

    static Optional<Ticket> live(Connection c, String key) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM tickets WHERE fault_key = ? AND state IN ('open', 'acknowledged')",
                TicketRepository::ticket, key);
    }

    static Optional<Ticket> latest(Connection c, String key) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM tickets WHERE fault_key = ? ORDER BY id DESC LIMIT 1",
                TicketRepository::ticket, key);
    }

    static Optional<Ticket> byId(Connection c, long id) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM tickets WHERE id = ?", TicketRepository::ticket, id);
    }

    /**
     * Inserts a new ticket with the machine's facts as they are now (OS,
     * hardware, agent version), which the ticket keeps for the reports.
     */
    static long insert(Connection c, Ticket t, AgentDirectory.AgentFacts machine) throws SQLException {
        return Sql.insert(c, "INSERT INTO tickets (fault_key, agent_id, rule_id, resource, site, hostname, severity, state,"
                        + " title, description, user_text, kb_articles, escalation_level, assignee, recurrences,"
                        + " previous_ticket_id, fault_active, muted, opened_at_ms, updated_at_ms, source,"
                        + " os_family, os_version, hardware, agent_version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.faultKey(), t.agentId(), t.ruleId(), t.resource(), t.site(), t.hostname(), t.severity().label(),
                t.state().label(), t.title(), t.description(), t.userText(), String.join(",", t.kbArticles()),
                t.escalationLevel(), t.assignee(), t.recurrences(), t.previousTicketId(), t.faultActive(), t.muted(),
                t.openedAt().toEpochMilli(), t.updatedAt().toEpochMilli(), t.source(),
                clip(machine.osFamily()), clip(machine.osVersion()), clip(machine.hardware()), clip(machine.agentVersion()));
    }

    /** Machine facts come from agents: kept to a sane length. */
    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200);
    }

    /** Writes the mutable fields of {@code t}. */
    static void update(Connection c, Ticket t) throws SQLException {
        Sql.update(c, "UPDATE tickets SET state = ?, escalation_level = ?, assignee = ?, recurrences = ?, fault_active = ?,"
                        + " muted = ?, acked_at_ms = ?, resolved_at_ms = ?, closed_at_ms = ?, updated_at_ms = ? WHERE id = ?",
                t.state().label(), t.escalationLevel(), t.assignee(), t.recurrences(), t.faultActive(), t.muted(),
                ms(t.ackedAt()), ms(t.resolvedAt()), ms(t.closedAt()), t.updatedAt().toEpochMilli(), t.id());
    }

    static void event(Connection c, long ticketId, Instant at, String kind, String actor, String detailJson) throws SQLException {
        Sql.insert(c, "INSERT INTO ticket_events (ticket_id, at_ms, kind, actor, detail) VALUES (?, ?, ?, ?, ?)",
                ticketId, at.toEpochMilli(), kind, actor, detailJson);
    }

    static List<TicketEvent> timeline(Connection c, long ticketId) throws SQLException {
        return Sql.list(c, "SELECT id, ticket_id, at_ms, kind, actor, detail FROM ticket_events WHERE ticket_id = ? ORDER BY id",
                rs -> new TicketEvent(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                        rs.getString(5), rs.getString(6)), ticketId);
    }

    static List<Ticket> list(Connection c, Filter f) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tickets WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.state().isEmpty()) {
            sql.append(" AND state IN ('open', 'acknowledged')");
        } else if (!f.state().equals("all")) {
            sql.append(" AND state = ?");
            args.add(f.state());
        }
        eq(sql, args, "severity", f.severity());
        eq(sql, args, "agent_id", f.agent());
        eq(sql, args, "rule_id", f.rule());
        eq(sql, args, "site", f.site());
        eq(sql, args, "source", f.source());
        if (!f.text().isEmpty()) {
            String like = "%" + f.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            sql.append(" AND (title LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\' OR hostname LIKE ? ESCAPE '\\'"
                    + " OR resource LIKE ? ESCAPE '\\' OR agent_id LIKE ? ESCAPE '\\')");
            args.addAll(Arrays.asList(like, like, like, like, like));
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(f.limit());
        return Sql.list(c, sql.toString(), TicketRepository::ticket, args.toArray());
    }

    /** Tickets in {@code state}, oldest first, for the sweeper. */
    /** Resolved tickets whose fault is no longer active, resolved at or before {@code resolvedByMs}: due to close. */
    static List<Ticket> resolvedQuietSince(Connection c, long resolvedByMs) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM tickets WHERE state = 'resolved' AND fault_active = 0"
                + " AND resolved_at_ms IS NOT NULL AND resolved_at_ms <= ? ORDER BY id", TicketRepository::ticket, resolvedByMs);
    }

    /** Open and acknowledged tickets whose notifications a maintenance window holds. */
    static List<Ticket> mutedActive(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM tickets WHERE state IN ('open', 'acknowledged') AND muted = 1 ORDER BY id",
                TicketRepository::ticket);
    }

    static List<long[]> countsByStateAndSeverity(Connection c) throws SQLException {
        return Sql.list(c, "SELECT state, severity, COUNT(*) FROM tickets GROUP BY state, severity", rs -> new long[] {
                TicketState.parse(rs.getString(1)).ordinal(), Severity.parse(rs.getString(2)).ordinal(), rs.getLong(3)});
    }

    private static void eq(StringBuilder sql, List<Object> args, String column, String value) {
        if (!value.isEmpty()) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static Long ms(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Long v = Sql.longOrNull(rs, column);
        return v == null ? null : Instant.ofEpochMilli(v);
    }

    private static Ticket ticket(ResultSet rs) throws SQLException {
        String kb = rs.getString("kb_articles");
        return new Ticket(rs.getLong("id"), rs.getString("fault_key"), rs.getString("agent_id"), rs.getString("rule_id"),
                rs.getString("resource"), rs.getString("site"), rs.getString("hostname"),
                Severity.parse(rs.getString("severity")), TicketState.parse(rs.getString("state")), rs.getString("title"),
                rs.getString("description"), rs.getString("user_text"), kb.isEmpty() ? List.of() : List.of(kb.split(",")),
                rs.getInt("escalation_level"), rs.getString("assignee"), rs.getInt("recurrences"),
                Sql.longOrNull(rs, "previous_ticket_id"), rs.getInt("fault_active") == 1, rs.getInt("muted") == 1,
                Instant.ofEpochMilli(rs.getLong("opened_at_ms")), instant(rs, "acked_at_ms"), instant(rs, "resolved_at_ms"),
                instant(rs, "closed_at_ms"), Instant.ofEpochMilli(rs.getLong("updated_at_ms")), rs.getString("source"));
    }
}

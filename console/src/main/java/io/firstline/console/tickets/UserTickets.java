package io.firstline.console.tickets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firstline.console.store.Sql;
import io.firstline.proto.PublicReply;
import io.firstline.proto.RecentEvent;
import io.firstline.proto.SnapshotRow;
import io.firstline.proto.SnapshotTable;
import io.firstline.proto.TicketNote;
import io.firstline.proto.TicketStatus;
import io.firstline.proto.UserReport;
import io.firstline.rules.Severity;
import io.firstline.text.PlainText;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Tickets from the endpoint's user: a {@link UserReport} becomes a ticket with
 * source {@value Ticket#USER} (title from the first words, the whole text as
 * description, the snapshot kept beside it), linked to the machine's open
 * fault tickets as probably related. Also what the agent shows its users: the
 * machine's open and recently resolved tickets with the public replies.
 * Idempotent: a report id is applied once, however often it arrives.
 */
public final class UserTickets {
    /** The rule id user tickets carry, so the one-live-ticket-per-key rule holds for them too. */
    public static final String RULE = "user-report";
    /** Resolved tickets stay in the agent's status this long. */
    static final Duration RECENTLY_RESOLVED = Duration.ofDays(7);
    static final int MAX_STATUS_TICKETS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TicketService tickets;

    public UserTickets(TicketService tickets) {
        this.tickets = tickets;
    }

    /** A report with its ticket id and what it was linked to. */
    public record Report(String reportId, long ticketId, String reporter, String text, JsonNode snapshot, List<Long> related,
                         Instant createdAt, Instant receivedAt) {
    }

    /**
     * Opens the ticket for {@code r} unless its report id was applied before.
     *
     * @return the ticket, or empty for a duplicate
     */
    public Optional<Ticket> apply(String agentId, long bootEpoch, long sequence, UserReport r) {
        if (!valid(r)) {
            throw new IllegalArgumentException("a user report needs a report id of 1-64 characters, a user, and at most 8 KiB of text");
        }
        AgentDirectory.AgentFacts facts = tickets.directory().facts(agentId);
        Optional<Ticket> opened = tickets.store().write(c -> {
            if (Sql.one(c, "SELECT ticket_id FROM user_reports WHERE report_id = ?", rs -> rs.getLong(1), r.getReportId()).isPresent()) {
                return Optional.<Ticket>empty();
            }
            Instant now = tickets.clock().instant();
            String text = PlainText.strip(r.getText()).strip();
            String reporter = PlainText.oneLine(r.getUser());
            String title = PlainText.firstWords(text, 80);
            FaultKey key = new FaultKey(agentId, RULE, r.getReportId());
            Ticket draft = new Ticket(0, key.value(), agentId, RULE, "", facts.site(), facts.hostname(), Severity.WARNING,
                    TicketState.OPEN, title.isEmpty() ? "Report from " + reporter : title, text, "", List.of(), 0, null, 0, null,
                    false, false, now, null, null, null, now, Ticket.USER);
            long id = TicketRepository.insert(c, draft, facts);
            Ticket t = TicketRepository.byId(c, id).orElseThrow();
            Sql.update(c, "UPDATE tickets SET sla_started_at_ms = ? WHERE id = ?", now.toEpochMilli(), id);
            List<Long> related = Sql.list(c, "SELECT id FROM tickets WHERE agent_id = ? AND source = ? AND state IN ('open', 'acknowledged')"
                    + " ORDER BY id", rs -> rs.getLong(1), agentId, Ticket.FAULT);
            Instant created = r.getCreatedMs() == 0 ? now : Instant.ofEpochMilli(r.getCreatedMs());
            Sql.update(c, "INSERT INTO user_reports (report_id, ticket_id, agent_id, reporter, text, snapshot, related, created_at_ms,"
                            + " received_at_ms, boot_epoch, sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    r.getReportId(), id, agentId, reporter, text, snapshotJson(r),
                    related.stream().map(String::valueOf).collect(Collectors.joining(",")), created.toEpochMilli(), now.toEpochMilli(),
                    bootEpoch, sequence);
            TicketRepository.event(c, id, now, "reported", reporter, Details.of("reporter", reporter, "createdAt", created,
                    "delayedSeconds", Math.max(0, Duration.between(created, now).toSeconds()), "probablyRelated", related));
            for (long other : related) {
                TicketRepository.event(c, other, now, "user_report", reporter, Details.of("ticketId", id, "title", t.title()));
            }
            tickets.notifyInTx(c, t, "opened", now);
            return Optional.of(t);
        });
        opened.ifPresent(t -> {
            tickets.metrics().ticket("opened");
            tickets.changed(agentId);
        });
        return opened;
    }

    /** Whether a report can become a ticket: an id of 1-64 printable characters, a user, and at most 8 KiB of text. */
    public static boolean valid(UserReport r) {
        String id = r.getReportId();
        return !id.isBlank() && id.length() <= 64 && id.equals(PlainText.oneLine(id)) && !r.getUser().isBlank()
                && r.getUser().length() <= 256 && r.getText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 8 * 1024;
    }

    static String snapshotJson(UserReport r) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode tables = root.putArray("tables");
        for (SnapshotTable t : r.getTablesList()) {
            ObjectNode n = tables.addObject();
            n.put("name", PlainText.oneLine(t.getName()));
            ArrayNode cols = n.putArray("columns");
            t.getColumnsList().forEach(col -> cols.add(PlainText.oneLine(col)));
            ArrayNode rows = n.putArray("rows");
            for (SnapshotRow row : t.getRowsList()) {
                ArrayNode cells = rows.addArray();
                row.getCellsList().forEach(cell -> cells.add(PlainText.oneLine(cell)));
            }
        }
        ArrayNode events = root.putArray("events");
        for (RecentEvent e : r.getEventsList()) {
            events.addObject().put("at", Instant.ofEpochMilli(e.getAtMs()).toString()).put("kind", PlainText.oneLine(e.getKind()))
                    .put("text", PlainText.oneLine(e.getText()));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The report behind a user ticket; empty for other tickets. */
    public Optional<Report> report(long ticketId) {
        return tickets.store().read(c -> Sql.one(c, "SELECT report_id, ticket_id, reporter, text, snapshot, related, created_at_ms,"
                + " received_at_ms FROM user_reports WHERE ticket_id = ?", rs -> new Report(rs.getString(1), rs.getLong(2),
                rs.getString(3), rs.getString(4), readJson(rs.getString(5)), ids(rs.getString(6)),
                Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8))), ticketId));
    }

    private static JsonNode readJson(String s) {
        try {
            return JSON.readTree(s);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static List<Long> ids(String csv) {
        return csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(Long::parseLong).toList();
    }

    /** This agent's open tickets and those resolved within a week, newest first, as its users may see them. */
    public TicketStatus status(String agentId) {
        return tickets.store().read(c -> status(c, agentId, tickets.clock().instant()));
    }

    private static TicketStatus status(Connection c, String agentId, Instant now) throws SQLException {
        List<Ticket> mine = Sql.list(c, "SELECT id FROM tickets WHERE agent_id = ? AND (state IN ('open', 'acknowledged')"
                        + " OR (state IN ('resolved', 'closed') AND resolved_at_ms >= ?)) ORDER BY id DESC LIMIT ?",
                rs -> rs.getLong(1), agentId, now.minus(RECENTLY_RESOLVED).toEpochMilli(), MAX_STATUS_TICKETS).stream()
                .map(id -> {
                    try {
                        return TicketRepository.byId(c, id).orElseThrow();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
        TicketStatus.Builder b = TicketStatus.newBuilder().setConsoleTimeMs(now.toEpochMilli());
        for (Ticket t : mine) {
            TicketNote.Builder n = TicketNote.newBuilder().setId(t.id()).setSource(t.source()).setTitle(t.title())
                    .setState(t.state().label()).setSeverity(t.severity().label()).setUserText(t.userText())
                    .setOpenedMs(t.openedAt().toEpochMilli()).setResolvedMs(t.resolvedAt() == null ? 0 : t.resolvedAt().toEpochMilli());
            if (t.source().equals(Ticket.USER)) {
                Sql.one(c, "SELECT reporter, report_id FROM user_reports WHERE ticket_id = ?",
                        rs -> new String[] {rs.getString(1), rs.getString(2)}, t.id())
                        .ifPresent(r -> n.setReporter(r[0]).setReportId(r[1]));
            }
            for (TicketEvent e : TicketRepository.timeline(c, t.id())) {
                if (e.kind().equals("replied")) {
                    JsonNode d = readJson(e.detail());
                    if (d.path("public").asBoolean(false)) {
                        n.addReplies(PublicReply.newBuilder().setAtMs(e.at().toEpochMilli()).setAuthor(e.actor())
                                .setText(d.path("text").asText("")));
                    }
                }
            }
            b.addTickets(n);
        }
        return b.build();
    }
}

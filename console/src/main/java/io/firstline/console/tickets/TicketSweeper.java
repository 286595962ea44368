package io.firstline.console.tickets;

import io.firstline.console.store.Sql;
import io.firstline.rules.Severity;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time-driven part of the ticket lifecycle, run every few seconds:
 * closes resolved tickets after the quiet period, records SLA breaches,
 * applies escalation steps to unacknowledged tickets, releases notifications
 * held by maintenance windows that have ended, and refreshes the ticket
 * gauges.
 */
public final class TicketSweeper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TicketSweeper.class);
    /**
     * How long a fault event's record of being applied is kept when its agent never says it holds nothing below it
     * (an earlier boot epoch whose spool emptied): far longer than any replay after a lost acknowledgement.
     */
    static final Duration APPLIED_KEPT = Duration.ofDays(30);
    private final TicketService tickets;

    public TicketSweeper(TicketService tickets) {
        this.tickets = tickets;
    }

    @Override
    public void run() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.error("ticket sweep failed; next one in a few seconds", e);
        }
    }

    /** One pass; returns the number of tickets it changed. */
    public int sweep() {
        Instant now = tickets.clock().instant();
        int changed = tickets.store().write(c -> {
            TicketRepository.forgetAppliedBefore(c, now.minus(APPLIED_KEPT).toEpochMilli());
            return closeQuiet(c, now) + sla(c, now) + releaseHeld(c, now);
        });
        tickets.metrics().counts(tickets.store().read(TicketRepository::countsByStateAndSeverity));
        return changed;
    }

    private int closeQuiet(Connection c, Instant now) throws SQLException {
        int n = 0;
        // Only the tickets due: a sweep every few seconds must not read every resolved ticket the store holds.
        for (Ticket t : TicketRepository.resolvedQuietSince(c, now.minus(tickets.policy().closeAfter()).toEpochMilli())) {
            TicketRepository.update(c, t.with(TicketState.CLOSED, t.escalationLevel(), t.assignee(), t.recurrences(),
                    false, t.muted(), t.ackedAt(), t.resolvedAt(), now, now));
            TicketRepository.event(c, t.id(), now, "closed", "console", Details.of("quietFor",
                    io.firstline.wire.Durations.format(tickets.policy().closeAfter())));
            tickets.metrics().ticket("closed");
            n++;
        }
        return n;
    }

    private record SlaRow(long id, Instant started, boolean ackBreached, boolean resolveBreached, TicketState state,
                          Severity severity, int escalationLevel) {
    }

    private int sla(Connection c, Instant now) throws SQLException {
        int n = 0;
        List<SlaRow> rows = Sql.list(c, "SELECT id, sla_started_at_ms, sla_ack_breached, sla_resolve_breached, state, severity,"
                + " escalation_level FROM tickets WHERE state IN ('open', 'acknowledged')", rs -> new SlaRow(rs.getLong(1),
                Instant.ofEpochMilli(rs.getLong(2)), rs.getInt(3) == 1, rs.getInt(4) == 1, TicketState.parse(rs.getString(5)),
                Severity.parse(rs.getString(6)), rs.getInt(7)));
        for (SlaRow r : rows) {
            TicketPolicy.Sla sla = tickets.policy().sla().get(r.severity());
            Duration age = Duration.between(r.started(), now);
            boolean open = r.state() == TicketState.OPEN;
            boolean ackDue = open && !r.ackBreached() && age.compareTo(sla.ackWithin()) > 0;
            boolean resolveDue = !r.resolveBreached() && age.compareTo(sla.resolveWithin()) > 0;
            boolean escalationDue = open && r.escalationLevel() < sla.steps().size()
                    && age.compareTo(sla.steps().get(r.escalationLevel()).after()) >= 0;
            if (!(ackDue || resolveDue || escalationDue)) {
                continue; // most tickets, most sweeps: read no more of it
            }
            Ticket t = TicketRepository.byId(c, r.id()).orElseThrow();
            if (ackDue) {
                breach(c, t, now, "ack", sla.ackWithin(), "sla_ack_breached");
                n++;
            }
            if (resolveDue) {
                breach(c, t, now, "resolve", sla.resolveWithin(), "sla_resolve_breached");
                n++;
            }
            if (escalationDue) {
                Ticket current = t;
                for (int i = current.escalationLevel(); i < sla.steps().size(); i++) {
                    TicketPolicy.EscalationStep step = sla.steps().get(i);
                    if (age.compareTo(step.after()) < 0) {
                        break;
                    }
                    current = tickets.escalateInTx(c, current, now, step);
                    tickets.metrics().ticket("escalated");
                    n++;
                }
            }
        }
        return n;
    }

    private void breach(Connection c, Ticket t, Instant now, String target, Duration within, String column) throws SQLException {
        Sql.update(c, "UPDATE tickets SET " + column + " = 1 WHERE id = ?", t.id());
        TicketRepository.event(c, t.id(), now, "sla_breached", "sla", Details.of("target", target, "within",
                io.firstline.wire.Durations.format(within)));
        tickets.metrics().slaBreach(target);
    }

    private int releaseHeld(Connection c, Instant now) throws SQLException {
        int n = 0;
        for (Ticket t : TicketRepository.mutedActive(c)) {
            if (!MaintenanceWindows.covers(c, t.agentId(), tickets.directory().facts(t.agentId()), now)) {
                Ticket released = t.with(t.state(), t.escalationLevel(), t.assignee(), t.recurrences(), t.faultActive(),
                        false, t.ackedAt(), t.resolvedAt(), t.closedAt(), now);
                TicketRepository.update(c, released);
                TicketRepository.event(c, t.id(), now, "notifications_released", "maintenance", Details.of());
                tickets.notifyInTx(c, released, "opened", now);
                n++;
            }
        }
        return n;
    }
}

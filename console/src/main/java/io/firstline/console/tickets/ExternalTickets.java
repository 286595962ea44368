package io.firstline.console.tickets;

import io.firstline.console.store.Sql;
import io.firstline.rules.Severity;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Tickets that do not come from the console's own fault detection: alerts
 * from an outside monitoring system (Alertmanager) and tickets an engineer
 * opens by hand. Alerts follow the same idempotency as faults: a stable key
 * (the alert's fingerprint) is looked up first, so however often an alert
 * is re-sent there is one live ticket for it; a resolved alert resolves it;
 * an alert that fires again within the reopen window reopens its ticket.
 * The ticket's {@code faultActive} flag is the alert's own state, so an
 * alert an engineer resolved while it still fires is not reopened by its
 * next re-send.
 */
public final class ExternalTickets {
    /** One alert from outside. {@code agentId} is empty when no known agent matched. */
    public record Alert(String key, boolean firing, String agentId, String host, String ruleId, String resource,
                        Severity severity, String title, String description, String actor) {
        public Alert {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(severity, "severity");
        }
    }

    /** The {@code source} of a ticket from an outside alert. */
    public static final String ALERT = "alert";
    /** The {@code source} of a ticket an engineer opened by hand. */
    public static final String ENGINEER = "engineer";

    private final TicketService tickets;

    public ExternalTickets(TicketService tickets) {
        this.tickets = tickets;
    }

    /** Extra work done in the same transaction as the alerts (e.g. recording which token posted them). */
    @FunctionalInterface
    public interface InTransaction {
        void run(Connection c) throws SQLException;
    }

    /**
     * Applies a batch of alerts in one transaction (all stored or none) and
     * returns what each did, in order.
     *
     * @throws io.firstline.console.store.StoreException when the store cannot take them
     */
    public List<TicketService.Outcome> apply(List<Alert> alerts, InTransaction also) {
        List<AgentDirectory.AgentFacts> facts = new ArrayList<>();
        for (Alert a : alerts) {
            facts.add(a.agentId().isEmpty() ? AgentDirectory.AgentFacts.UNKNOWN : tickets.directory().facts(a.agentId()));
        }
        List<TicketService.Outcome> out = tickets.store().write(c -> {
            Instant now = tickets.clock().instant();
            List<TicketService.Outcome> done = new ArrayList<>();
            for (int i = 0; i < alerts.size(); i++) {
                Alert a = alerts.get(i);
                done.add(a.firing() ? fire(c, a, facts.get(i), now) : resolve(c, a, now));
            }
            also.run(c);
            return done;
        });
        for (TicketService.Outcome o : out) {
            if (o.effect() == TicketService.Effect.OPENED || o.effect() == TicketService.Effect.REOPENED
                    || o.effect() == TicketService.Effect.RESOLVED) {
                tickets.metrics().ticket(o.effect().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    private TicketService.Outcome fire(Connection c, Alert a, AgentDirectory.AgentFacts facts, Instant now) throws SQLException {
        Optional<Ticket> live = TicketRepository.live(c, a.key());
        if (live.isPresent()) {
            Ticket t = live.get();
            if (!t.faultActive()) {
                t = t.with(t.state(), t.escalationLevel(), t.assignee(), t.recurrences(), true, t.muted(), t.ackedAt(),
                        null, null, now);
                TicketRepository.update(c, t);
            }
            return new TicketService.Outcome(TicketService.Effect.UNCHANGED, Optional.of(t));
        }
        Optional<Ticket> latest = TicketRepository.latest(c, a.key());
        if (latest.isPresent() && latest.get().faultActive()) {
            // Still firing since before someone resolved it: a re-send is not a recurrence.
            return new TicketService.Outcome(TicketService.Effect.UNCHANGED, latest);
        }
        boolean muted = !a.agentId().isEmpty() && MaintenanceWindows.covers(c, a.agentId(), facts, now);
        if (latest.isPresent() && latest.get().resolvedAt() != null
                && Duration.between(latest.get().resolvedAt(), now).compareTo(tickets.policy().reopenWindow()) <= 0) {
            Ticket old = latest.get();
            Ticket t = old.with(TicketState.OPEN, 0, old.assignee(), old.recurrences() + 1, true, muted, null, null, null, now);
            TicketRepository.update(c, t);
            restartSla(c, t.id(), now);
            TicketRepository.event(c, t.id(), now, "reopened", a.actor(), Details.of("recurrence", t.recurrences()));
            notify(c, t, "opened", now);
            return new TicketService.Outcome(TicketService.Effect.REOPENED, Optional.of(t));
        }
        Ticket t = open(c, ALERT, a.key(), a.agentId(), a.ruleId(), a.resource(), facts, a.host(), a.severity(), a.title(),
                a.description(), latest.map(Ticket::id).orElse(null), true, muted, now);
        TicketRepository.event(c, t.id(), now, "raised", a.actor(), Details.of("alert", a.ruleId(), "key", a.key()));
        if (latest.isPresent()) {
            TicketRepository.event(c, t.id(), now, "linked", a.actor(), Details.of("previousTicketId", latest.get().id()));
        }
        notify(c, t, "opened", now);
        return new TicketService.Outcome(TicketService.Effect.OPENED, Optional.of(t));
    }

    private TicketService.Outcome resolve(Connection c, Alert a, Instant now) throws SQLException {
        Optional<Ticket> live = TicketRepository.live(c, a.key());
        if (live.isPresent()) {
            Ticket old = live.get();
            Ticket t = old.with(TicketState.RESOLVED, old.escalationLevel(), old.assignee(), old.recurrences(), false,
                    old.muted(), old.ackedAt(), now, null, now);
            TicketRepository.update(c, t);
            TicketRepository.event(c, t.id(), now, "resolved", a.actor(), Details.of("reason", "alert resolved"));
            tickets.metrics().timeTo("resolve", Duration.between(old.openedAt(), now));
            notify(c, t, "resolved", now);
            return new TicketService.Outcome(TicketService.Effect.RESOLVED, Optional.of(t));
        }
        // Never open a ticket for an alert that is already resolved; only note that it stopped firing.
        Optional<Ticket> latest = TicketRepository.latest(c, a.key());
        if (latest.isPresent() && latest.get().faultActive()) {
            Ticket old = latest.get();
            Ticket t = old.with(old.state(), old.escalationLevel(), old.assignee(), old.recurrences(), false, old.muted(),
                    old.ackedAt(), old.resolvedAt(), old.closedAt(), now);
            TicketRepository.update(c, t);
            TicketRepository.event(c, t.id(), now, "fault_cleared", a.actor(), Details.of("reason", "alert resolved"));
            return new TicketService.Outcome(TicketService.Effect.UNCHANGED, Optional.of(t));
        }
        return new TicketService.Outcome(TicketService.Effect.UNCHANGED, latest);
    }

    /**
     * Opens a ticket an engineer writes by hand ({@code POST /api/tickets}).
     * It has its own key (no fault ends it), so only a person resolves it.
     *
     * @param agentId a known agent's id, or empty for a ticket about no one machine
     */
    public Ticket openByHand(String title, String description, Severity severity, String agentId, String actor) {
        String t = require(title, "title", 300);
        String d = description == null ? "" : description.strip();
        if (d.length() > 20_000) {
            throw new IllegalArgumentException("description must be at most 20000 characters");
        }
        String who = require(actor, "actor", 200);
        String agent = agentId == null ? "" : agentId.strip();
        AgentDirectory.AgentFacts facts = agent.isEmpty() ? AgentDirectory.AgentFacts.UNKNOWN : tickets.directory().facts(agent);
        Ticket out = tickets.store().write(c -> {
            Instant now = tickets.clock().instant();
            boolean muted = !agent.isEmpty() && MaintenanceWindows.covers(c, agent, facts, now);
            Ticket n = open(c, ENGINEER, "manual/" + UUID.randomUUID(), agent, "manual", "", facts, "", Objects.requireNonNull(severity),
                    t, d, null, false, muted, now);
            TicketRepository.event(c, n.id(), now, "opened", who, Details.of("by", "engineer"));
            notify(c, n, "opened", now);
            return n;
        });
        tickets.metrics().ticket("opened");
        return out;
    }

    private static String require(String v, String field, int max) {
        String s = v == null ? "" : v.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (s.length() > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters");
        }
        return s;
    }

    private static Ticket open(Connection c, String source, String key, String agentId, String ruleId, String resource,
                               AgentDirectory.AgentFacts facts, String host, Severity severity, String title,
                               String description, Long previous, boolean active, boolean muted, Instant now)
            throws SQLException {
        String hostname = facts.hostname().isEmpty() ? host : facts.hostname();
        Ticket draft = new Ticket(0, key, agentId, ruleId, resource, facts.site(), hostname, severity, TicketState.OPEN,
                title, description, "", List.of(), 0, null, 0, previous, active, muted, now, null, null, null, now, source);
        long id = TicketRepository.insert(c, draft, facts);
        restartSla(c, id, now);
        if (muted) {
            TicketRepository.event(c, id, now, "notifications_held", "maintenance", Details.of());
        }
        return TicketRepository.byId(c, id).orElseThrow();
    }

    private void notify(Connection c, Ticket t, String event, Instant now) throws SQLException {
        tickets.notifyInTx(c, t, event, now);
    }

    private static void restartSla(Connection c, long id, Instant now) throws SQLException {
        Sql.update(c, "UPDATE tickets SET sla_started_at_ms = ?, sla_ack_breached = 0, sla_resolve_breached = 0 WHERE id = ?",
                now.toEpochMilli(), id);
    }
}

package io.firstline.console.tickets;

import io.firstline.console.notify.NotificationOutbox;
import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import io.firstline.console.tickets.TicketRepository.FaultRow;
import io.firstline.rules.Rule;
import io.firstline.rules.Severity;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns fault events into tickets and carries out people's actions on them.
 * Every change is one store transaction: the fault state, the ticket, its
 * timeline entry and its notifications commit together or not at all.
 *
 * <p>Idempotent by construction: a fault event is looked up by its fault key
 * first; a replayed event (same boot epoch, sequence not newer) changes
 * nothing; a raise of an already-raised fault changes nothing; a clear of a
 * fault that is not raised never opens anything. A fault that recurs within
 * the reopen window reopens its ticket and counts the recurrence; later, a
 * new ticket links to the old one.
 */
public final class TicketService {
    /** What applying a fault event did. */
    public enum Effect { DUPLICATE, OPENED, REOPENED, RESOLVED, UNCHANGED }

    public record Outcome(Effect effect, Optional<Ticket> ticket) {
    }

    private final Store store;
    private final Clock clock;
    private volatile TicketPolicy policy;
    private final AgentDirectory directory;
    private final Function<String, Optional<Rule>> rules;
    private final NotificationOutbox outbox;
    private final TicketMetrics metrics;
    private final List<java.util.function.Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<Ticket>> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

    public TicketService(Store store, Clock clock, TicketPolicy policy, AgentDirectory directory,
                         Function<String, Optional<Rule>> rules, NotificationOutbox outbox, TicketMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        this.directory = directory;
        this.rules = rules;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    public TicketPolicy policy() {
        return policy;
    }

    /** Puts a new policy in force (tickets.yaml changed): later changes and sweeps follow it. */
    public void usePolicy(TicketPolicy p) {
        this.policy = java.util.Objects.requireNonNull(p, "policy");
    }

    /** Calls {@code listener} with the agent id of every ticket that changed, after the change committed. */
    public void onChange(java.util.function.Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * Calls {@code listener} with every fault ticket that a fault opened or
     * reopened, after the change committed (automatic triage starts there).
     */
    public void onOpened(java.util.function.Consumer<Ticket> listener) {
        opened.add(listener);
    }

    /**
     * Adds a {@code diagnostic} event to a ticket's timeline (a diagnostic
     * requested for it, or its result); {@code detail} becomes its JSON.
     *
     * @return false when there is no such ticket
     */
    public boolean diagnosticEvent(long ticketId, String actor, java.util.Map<String, Object> detail) {
        Optional<Ticket> t = get(ticketId);
        if (t.isEmpty()) {
            return false;
        }
        Object[] kv = new Object[detail.size() * 2];
        int i = 0;
        for (java.util.Map.Entry<String, Object> e : detail.entrySet()) {
            kv[i++] = e.getKey();
            kv[i++] = e.getValue();
        }
        store.write(c -> {
            TicketRepository.event(c, ticketId, clock.instant(), "diagnostic", actor, Details.of(kv));
            return null;
        });
        changed(t.get().agentId());
        return true;
    }

    void changed(String agentId) {
        for (java.util.function.Consumer<String> l : listeners) {
            try {
                l.accept(agentId);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(TicketService.class).warn("ticket change listener failed", e);
            }
        }
    }

    // ---- faults ---------------------------------------------------------

    /** Applies one fault event and returns what it did. */
    public Outcome apply(FaultEvent e) {
        long start = System.nanoTime();
        Optional<Rule> rule = rules.apply(e.key().ruleId());
        AgentDirectory.AgentFacts facts = directory.facts(e.key().agentId());
        Outcome o = store.write(c -> e.raised() ? raise(c, e, rule, facts) : clear(c, e));
        metrics.commit.record(Duration.ofNanos(System.nanoTime() - start));
        if (o.effect() != Effect.DUPLICATE) {
            metrics.fault(e.raised());
        }
        if (o.effect() == Effect.OPENED || o.effect() == Effect.REOPENED || o.effect() == Effect.RESOLVED) {
            metrics.ticket(o.effect().name().toLowerCase(java.util.Locale.ROOT));
            changed(e.key().agentId());
        }
        if ((o.effect() == Effect.OPENED || o.effect() == Effect.REOPENED) && o.ticket().isPresent()) {
            for (java.util.function.Consumer<Ticket> l : opened) {
                try {
                    l.accept(o.ticket().get());
                } catch (RuntimeException ex) {
                    org.slf4j.LoggerFactory.getLogger(TicketService.class).warn("ticket opened listener failed", ex);
                }
            }
        }
        return o;
    }

    /**
     * Whether {@code e} was applied before. A sequenced event is recorded once, in the transaction that applies it,
     * so its replay is recognised whatever arrived in between (live events overtake the spooled backlog after a
     * reconnect). Events of the console's own rules (sequence 0) are applied by state alone.
     */
    private boolean replayed(Connection c, Optional<FaultRow> f, FaultEvent e) throws SQLException {
        if (e.sequence() == 0) {
            return false;
        }
        if (!TicketRepository.recordApplied(c, e, clock.millis())) {
            return true;
        }
        // Applied before events were recorded (schema V193): the event the fault row names is the one it last applied.
        return f.isPresent() && f.get().bootEpoch() == e.bootEpoch() && f.get().sequence() == e.sequence();
    }

    /** Whether a newer event of the same fault was applied first, so that {@code e} is history, not the fault's state. */
    private static boolean overtaken(Optional<FaultRow> f, FaultEvent e) {
        if (e.sequence() == 0 || f.isEmpty() || f.get().sequence() == 0) {
            return false;
        }
        FaultRow r = f.get();
        return e.bootEpoch() < r.bootEpoch() || (e.bootEpoch() == r.bootEpoch() && e.sequence() < r.sequence());
    }

    /**
     * A fault event overtaken by a newer one of the same fault: what it says happened before the state the fault
     * is in now, so it goes into the history of the fault's latest ticket (a raise is one more recurrence) and
     * neither the fault nor the ticket's state moves back. A raise of a fault that has no ticket yet (its clear came
     * first) opens one already resolved: the fault came and went while the console was away, and its history is kept.
     */
    private Outcome late(Connection c, FaultEvent e, Optional<Rule> rule, AgentDirectory.AgentFacts facts) throws SQLException {
        Optional<Ticket> latest = TicketRepository.latest(c, e.key().value());
        if (latest.isEmpty()) {
            return e.raised() ? openedResolved(c, e, rule, facts) : new Outcome(Effect.UNCHANGED, Optional.empty());
        }
        Instant now = clock.instant();
        Ticket t = latest.get();
        if (e.raised()) {
            t = t.with(t.state(), t.escalationLevel(), t.assignee(), t.recurrences() + 1, t.faultActive(), t.muted(),
                    t.ackedAt(), t.resolvedAt(), t.closedAt(), now);
            TicketRepository.update(c, t);
            TicketRepository.event(c, t.id(), now, "recurred", "fault", Details.of("recurrence", t.recurrences(), "late", true,
                    "metric", e.metric(), "value", e.value(), "threshold", e.threshold(), "since", e.since(), "at", e.at()));
        } else {
            TicketRepository.event(c, t.id(), now, "fault_cleared", "fault", Details.of("late", true, "reason", e.reason(),
                    "value", e.value(), "at", e.at()));
        }
        return new Outcome(Effect.UNCHANGED, Optional.of(t));
    }

    /**
     * The agent holds nothing of {@code bootEpoch} below {@code oldestPending} (nothing at all when 0), so it can
     * never send those events again: their records are no longer needed to recognise a replay.
     */
    public int forgetApplied(String agentId, long bootEpoch, long oldestPending) {
        return store.write(c -> TicketRepository.forgetApplied(c, agentId, bootEpoch, oldestPending));
    }

    private Outcome raise(Connection c, FaultEvent e, Optional<Rule> rule, AgentDirectory.AgentFacts facts) throws SQLException {
        String key = e.key().value();
        Optional<FaultRow> f = TicketRepository.fault(c, key);
        if (replayed(c, f, e)) {
            return new Outcome(Effect.DUPLICATE, Optional.empty());
        }
        if (overtaken(f, e)) {
            return late(c, e, rule, facts);
        }
        if (f.isPresent() && f.get().active()) {
            TicketRepository.touchFault(c, e);
            Optional<Ticket> live = TicketRepository.live(c, key);
            // An agent raises only on a transition (or, for an event rule, a repeat), so a newer raise of a fault
            // still raised here means it cleared in between: that clear is still on its way (it was spooled
            // while a live event overtook it) or was never sent (the agent restarted). One more recurrence.
            if ((e.occurrences() > 1 || e.sequence() != 0) && live.isPresent()) {
                return repeated(c, e, live.get());
            }
            return new Outcome(Effect.UNCHANGED, live);
        }
        TicketRepository.raiseFault(c, e, f.isPresent());
        Instant now = clock.instant();
        String raised = Details.of("metric", e.metric(), "value", e.value(), "threshold", e.threshold(), "since", e.since(),
                "at", e.at(), "event", e.details().isEmpty() ? null : e.details());
        Optional<Ticket> live = TicketRepository.live(c, key);
        if (live.isPresent()) {
            Ticket t = live.get().with(live.get().state(), live.get().escalationLevel(), live.get().assignee(),
                    live.get().recurrences(), true, live.get().muted(), live.get().ackedAt(), null, null, now);
            TicketRepository.update(c, t);
            TicketRepository.event(c, t.id(), now, "fault_raised", "fault", raised);
            return new Outcome(Effect.UNCHANGED, Optional.of(t));
        }
        boolean muted = MaintenanceWindows.covers(c, e.key().agentId(), facts, now);
        Optional<Ticket> latest = TicketRepository.latest(c, key);
        if (latest.isPresent() && latest.get().resolvedAt() != null
                && Duration.between(latest.get().resolvedAt(), now).compareTo(policy.reopenWindow()) <= 0) {
            Ticket old = latest.get();
            Ticket t = old.with(TicketState.OPEN, 0, old.assignee(), old.recurrences() + 1, true, muted, null, null, null, now);
            TicketRepository.update(c, t);
            restartSla(c, t.id(), now);
            TicketRepository.event(c, t.id(), now, "reopened", "fault", Details.of("recurrence", t.recurrences(),
                    "metric", e.metric(), "value", e.value(), "threshold", e.threshold(), "since", e.since(), "at", e.at()));
            notifyUnlessMuted(c, t, "opened", now);
            return new Outcome(Effect.REOPENED, Optional.of(t));
        }
        long id = TicketRepository.insert(c, draft(e, rule, facts, latest.map(Ticket::id).orElse(null), true, muted, now), facts);
        Ticket t = TicketRepository.byId(c, id).orElseThrow();
        restartSla(c, id, now);
        TicketRepository.event(c, id, now, "raised", "fault", raised);
        if (latest.isPresent()) {
            TicketRepository.event(c, id, now, "linked", "fault", Details.of("previousTicketId", latest.get().id()));
        }
        if (muted) {
            TicketRepository.event(c, id, now, "notifications_held", "maintenance", Details.of());
        }
        notifyUnlessMuted(c, t, "opened", now);
        return new Outcome(Effect.OPENED, Optional.of(t));
    }

    /** A new ticket for the fault {@code e} raised, in the words of its rule. */
    private static Ticket draft(FaultEvent e, Optional<Rule> rule, AgentDirectory.AgentFacts facts, Long previousId, boolean faultActive,
                                boolean muted, Instant now) {
        Rule.Text text = rule.map(Rule::text).orElse(Rule.Text.NONE);
        String resource = e.key().resource();
        return new Ticket(0, e.key().value(), e.key().agentId(), e.key().ruleId(), resource, facts.site(), facts.hostname(),
                rule.map(Rule::severity).orElse(Severity.WARNING), TicketState.OPEN,
                fill(text.title().isEmpty() ? "Fault " + e.key().ruleId() + " on {resource}" : text.title(), resource),
                fill(text.description(), resource), fill(text.userText(), resource), text.kbArticles(), 0, null, 0,
                previousId, faultActive, muted, now, null, null, null, now, Ticket.FAULT);
    }

    /**
     * The first raise of a fault, arriving after its clear (it waited in the agent's spool while a live clear went
     * ahead): a ticket that records the fault and is resolved at once, with nobody notified of what is already over.
     */
    private Outcome openedResolved(Connection c, FaultEvent e, Optional<Rule> rule, AgentDirectory.AgentFacts facts) throws SQLException {
        Instant now = clock.instant();
        long id = TicketRepository.insert(c, draft(e, rule, facts, null, false, false, now), facts);
        Ticket opened = TicketRepository.byId(c, id).orElseThrow();
        Ticket t = opened.with(TicketState.RESOLVED, 0, opened.assignee(), 0, false, false, null, now, null, now);
        TicketRepository.update(c, t);
        TicketRepository.event(c, id, now, "raised", "fault", Details.of("late", true, "metric", e.metric(), "value", e.value(),
                "threshold", e.threshold(), "since", e.since(), "at", e.at(), "event", e.details().isEmpty() ? null : e.details()));
        TicketRepository.event(c, id, now, "resolved", "fault", Details.of("late", true,
                "reason", "the fault had cleared before this raise arrived"));
        return new Outcome(Effect.UNCHANGED, Optional.of(t));
    }

    /**
     * Another event of an event rule's fault that is still raised (an OOM kill of the same process within the quiet
     * period): one more recurrence on the same ticket, with the event in its timeline.
     */
    private Outcome repeated(Connection c, FaultEvent e, Ticket live) throws SQLException {
        Instant now = clock.instant();
        Ticket t = live.with(live.state(), live.escalationLevel(), live.assignee(), live.recurrences() + 1, true, live.muted(),
                live.ackedAt(), null, null, now);
        TicketRepository.update(c, t);
        TicketRepository.event(c, t.id(), now, "recurred", "fault", Details.of("recurrence", t.recurrences(),
                "occurrences", e.occurrences(), "at", e.at(), "event", e.details().isEmpty() ? null : e.details()));
        return new Outcome(Effect.UNCHANGED, Optional.of(t));
    }

    private static String fill(String template, String resource) {
        return template.replace("{resource}", resource.isEmpty() ? "this machine" : resource);
    }

    private Outcome clear(Connection c, FaultEvent e) throws SQLException {
        String key = e.key().value();
        Optional<FaultRow> f = TicketRepository.fault(c, key);
        if (replayed(c, f, e)) {
            return new Outcome(Effect.DUPLICATE, Optional.empty());
        }
        if (overtaken(f, e)) {
            return late(c, e, Optional.empty(), null);
        }
        if (f.isEmpty() || !f.get().active()) {
            if (f.isPresent()) {
                TicketRepository.touchFault(c, e);
            } else if (e.sequence() != 0) {
                TicketRepository.clearedFault(c, e);
            }
            return new Outcome(Effect.UNCHANGED, Optional.empty());
        }
        TicketRepository.clearFault(c, e);
        Instant now = clock.instant();
        String detail = Details.of("reason", e.reason(), "value", e.value(), "at", e.at());
        Optional<Ticket> live = TicketRepository.live(c, key);
        if (live.isPresent()) {
            Ticket old = live.get();
            Ticket t = old.with(TicketState.RESOLVED, old.escalationLevel(), old.assignee(), old.recurrences(), false,
                    old.muted(), old.ackedAt(), now, null, now);
            TicketRepository.update(c, t);
            TicketRepository.event(c, t.id(), now, "resolved", "fault", detail);
            metrics.timeTo("resolve", Duration.between(old.openedAt(), now));
            // A resolve is never held back by a maintenance window once the opening was notified.
            notifyUnlessMuted(c, t, "resolved", now);
            return new Outcome(Effect.RESOLVED, Optional.of(t));
        }
        Optional<Ticket> latest = TicketRepository.latest(c, key);
        if (latest.isPresent()) {
            Ticket t = latest.get().with(latest.get().state(), latest.get().escalationLevel(), latest.get().assignee(),
                    latest.get().recurrences(), false, latest.get().muted(), latest.get().ackedAt(),
                    latest.get().resolvedAt(), latest.get().closedAt(), now);
            TicketRepository.update(c, t);
            TicketRepository.event(c, t.id(), now, "fault_cleared", "fault", detail);
        }
        return new Outcome(Effect.UNCHANGED, latest);
    }

    private void notifyUnlessMuted(Connection c, Ticket t, String event, Instant now) throws SQLException {
        if (!t.muted()) {
            outbox.enqueue(c, t, event, now);
        }
    }

    private static void restartSla(Connection c, long id, Instant now) throws SQLException {
        Sql.update(c, "UPDATE tickets SET sla_started_at_ms = ?, sla_ack_breached = 0, sla_resolve_breached = 0 WHERE id = ?",
                now.toEpochMilli(), id);
    }

    /** The faults the console holds raised for one agent (pushed down so the agent adopts them). */
    public List<FaultKey> activeFaults(String agentId) {
        return store.read(c -> TicketRepository.activeFaults(c, agentId));
    }

    // ---- people's actions ----------------------------------------------

    private interface Action {
        Ticket apply(Connection c, Ticket t, Instant now) throws SQLException;
    }

    private Ticket act(long id, Action action) {
        Ticket done = store.write(c -> {
            Ticket t = TicketRepository.byId(c, id).orElseThrow(() -> new TicketNotFoundException(id));
            return action.apply(c, t, clock.instant());
        });
        changed(done.agentId());
        return done;
    }

    private static void requireLive(Ticket t, String what) {
        if (!t.state().live()) {
            throw new IllegalTransitionException("ticket " + t.id() + " is " + t.state().label() + "; only an open or"
                    + " acknowledged ticket can be " + what);
        }
    }

    private static String requireActor(String actor) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("who is acting must be given");
        }
        return actor.trim();
    }

    public Ticket acknowledge(long id, String actor) {
        String who = requireActor(actor);
        return act(id, (c, t, now) -> {
            if (t.state() != TicketState.OPEN) {
                throw new IllegalTransitionException("ticket " + id + " is " + t.state().label()
                        + "; only an open ticket can be acknowledged");
            }
            Ticket n = t.with(TicketState.ACKNOWLEDGED, t.escalationLevel(), t.assignee(),
                    t.recurrences(), t.faultActive(), t.muted(), now, null, null, now);
            TicketRepository.update(c, n);
            TicketRepository.event(c, id, now, "acknowledged", who, Details.of());
            metrics.timeTo("ack", Duration.between(t.openedAt(), now));
            metrics.ticket("acknowledged");
            notifyUnlessMuted(c, n, "acknowledged", now);
            return n;
        });
    }

    public Ticket assign(long id, String actor, String assignee) {
        String who = requireActor(actor);
        if (assignee == null || assignee.isBlank()) {
            throw new IllegalArgumentException("assign needs an assignee");
        }
        return act(id, (c, t, now) -> {
            requireLive(t, "assigned");
            Ticket n = t.with(t.state(), t.escalationLevel(), assignee.trim(), t.recurrences(), t.faultActive(), t.muted(),
                    t.ackedAt(), t.resolvedAt(), t.closedAt(), now);
            TicketRepository.update(c, n);
            TicketRepository.event(c, id, now, "assigned", who, Details.of("assignee", assignee.trim()));
            return n;
        });
    }

    public Ticket comment(long id, String actor, String text) {
        String who = requireActor(actor);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a comment needs text");
        }
        return act(id, (c, t, now) -> {
            Ticket n = t.withState(t.state(), now);
            TicketRepository.update(c, n);
            TicketRepository.event(c, id, now, "commented", who, Details.of("text", text.trim()));
            return n;
        });
    }

    /** The longest reply accepted, in characters. */
    public static final int MAX_REPLY_CHARS = 16 * 1024;

    /**
     * An engineer's reply: public ones reach the endpoint's user with
     * {@code firstline-agent status}, others are internal notes. Control
     * characters are stripped; any other Unicode is kept.
     */
    public Ticket reply(long id, String actor, String text, boolean isPublic) {
        String who = requireActor(actor);
        String clean = text == null ? "" : io.firstline.text.PlainText.strip(text).strip();
        if (clean.isEmpty()) {
            throw new IllegalArgumentException("a reply needs text");
        }
        if (clean.length() > MAX_REPLY_CHARS) {
            throw new IllegalArgumentException("a reply may have at most " + MAX_REPLY_CHARS + " characters, this one has " + clean.length());
        }
        return act(id, (c, t, now) -> {
            Ticket n = t.withState(t.state(), now);
            TicketRepository.update(c, n);
            TicketRepository.event(c, id, now, "replied", who, Details.of("text", clean, "public", isPublic));
            return n;
        });
    }

    public Ticket escalate(long id, String actor, String reason) {
        String who = requireActor(actor);
        return act(id, (c, t, now) -> {
            requireLive(t, "escalated");
            Ticket n = escalated(c, t, now, who, reason == null ? "" : reason.trim(), null, true);
            metrics.ticket("escalated");
            return n;
        });
    }

    private Ticket escalated(Connection c, Ticket t, Instant now, String who, String reason, String assignTo,
                             boolean notify) throws SQLException {
        String assignee = assignTo == null || assignTo.isEmpty() ? t.assignee() : assignTo;
        Ticket n = t.with(t.state(), t.escalationLevel() + 1, assignee, t.recurrences(), t.faultActive(), t.muted(),
                t.ackedAt(), t.resolvedAt(), t.closedAt(), now);
        TicketRepository.update(c, n);
        TicketRepository.event(c, t.id(), now, "escalated", who, Details.of("level", n.escalationLevel(), "reason", reason,
                "assignee", assignTo == null || assignTo.isEmpty() ? null : assignTo));
        if (notify) {
            notifyUnlessMuted(c, n, "escalated", now);
        }
        return n;
    }

    public Ticket resolve(long id, String actor, String note) {
        return resolve(id, actor, note, ResolveStep.NONE);
    }

    /** Resolves with {@code step} run in the same transaction (see {@link ResolveStep}). */
    public Ticket resolve(long id, String actor, String note, ResolveStep step) {
        String who = requireActor(actor);
        return act(id, (c, t, now) -> {
            requireLive(t, "resolved");
            List<Object> detail = new java.util.ArrayList<>(List.of("note", note == null ? "" : note.trim(),
                    "faultStillActive", t.faultActive()));
            detail.addAll(step.apply(c, t, now));
            Ticket n = t.with(TicketState.RESOLVED, t.escalationLevel(), t.assignee(), t.recurrences(), t.faultActive(),
                    t.muted(), t.ackedAt(), now, null, now);
            TicketRepository.update(c, n);
            TicketRepository.event(c, id, now, "resolved", who, Details.of(detail.toArray()));
            if (!step.publicText().isBlank()) {
                // A public reply, as the user's status command shows them.
                TicketRepository.event(c, id, now, "replied", who, Details.of("text", step.publicText().trim(),
                        "public", true));
            }
            metrics.timeTo("resolve", Duration.between(t.openedAt(), now));
            metrics.ticket("resolved");
            notifyUnlessMuted(c, n, "resolved", now);
            return n;
        });
    }

    public Ticket reopen(long id, String actor, String reason) {
        String who = requireActor(actor);
        return act(id, (c, t, now) -> {
            if (t.state().live()) {
                throw new IllegalTransitionException("ticket " + id + " is " + t.state().label() + "; only a resolved or"
                        + " closed ticket can be reopened");
            }
            Optional<Ticket> other = TicketRepository.live(c, t.faultKey());
            if (other.isPresent()) {
                throw new IllegalTransitionException("ticket " + other.get().id() + " is already open for this fault;"
                        + " work on that one");
            }
            Ticket n = t.with(TicketState.OPEN, t.escalationLevel(), t.assignee(), t.recurrences(), t.faultActive(),
                    t.muted(), null, null, null, now);
            TicketRepository.update(c, n);
            restartSla(c, id, now);
            TicketRepository.event(c, id, now, "reopened", who, Details.of("reason", reason == null ? "" : reason.trim()));
            metrics.ticket("reopened");
            notifyUnlessMuted(c, n, "opened", now);
            return n;
        });
    }

    // ---- reading --------------------------------------------------------

    /** When the SLA clock of each open or acknowledged ticket started (it restarts on reopen), by ticket id. */
    public Map<Long, Instant> slaStarts() {
        return store.read(c -> {
            Map<Long, Instant> m = new HashMap<>();
            for (long[] r : Sql.list(c, "SELECT id, sla_started_at_ms FROM tickets WHERE state IN ('open', 'acknowledged')",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)})) {
                m.put(r[0], Instant.ofEpochMilli(r[1]));
            }
            return m;
        });
    }

    public Optional<Ticket> get(long id) {
        return store.read(c -> TicketRepository.byId(c, id));
    }

    public List<TicketEvent> timeline(long id) {
        return store.read(c -> TicketRepository.timeline(c, id));
    }

    /** Filters for {@link #list}; empty strings mean "any"; state "" = open and acknowledged, "all" = every state. */
    public record Query(String state, String severity, String agent, String rule, String site, String text, int limit,
                        String source) {
        public static final Query OPEN = new Query("", "", "", "", "", "", 500);

        /** Any source. */
        public Query(String state, String severity, String agent, String rule, String site, String text, int limit) {
            this(state, severity, agent, rule, site, text, limit, "");
        }

        public Query {
            if (!source.isEmpty() && !source.equals(Ticket.FAULT) && !source.equals(Ticket.USER)
                    && !source.equals(ExternalTickets.ALERT) && !source.equals(ExternalTickets.ENGINEER)) {
                throw new IllegalArgumentException("unknown source " + source);
            }
            if (!state.isEmpty() && !state.equals("all")) {
                TicketState.parse(state);
            }
            if (!severity.isEmpty()) {
                Severity.parse(severity);
            }
            if (limit < 1 || limit > 5000) {
                throw new IllegalArgumentException("limit must be 1-5000");
            }
        }
    }

    public List<Ticket> list(Query q) {
        return store.read(c -> TicketRepository.list(c, new TicketRepository.Filter(q.state(), q.severity(), q.agent(),
                q.rule(), q.site(), q.text(), q.limit(), q.source())));
    }

    /** Used by {@link TicketSweeper}. */
    Store store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    AgentDirectory directory() {
        return directory;
    }

    TicketMetrics metrics() {
        return metrics;
    }

    void notifyInTx(Connection c, Ticket t, String event, Instant now) throws SQLException {
        notifyUnlessMuted(c, t, event, now);
    }

    Ticket escalateInTx(Connection c, Ticket t, Instant now, TicketPolicy.EscalationStep step) throws SQLException {
        return escalated(c, t, now, "sla", "not acknowledged within " + io.firstline.wire.Durations.format(step.after()),
                step.assignTo(), step.sendNotification());
    }
}

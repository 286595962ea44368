package io.firstline.console.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.MutableClock;
import io.firstline.console.notify.NotificationOutbox;
import io.firstline.console.notify.WebhookTarget;
import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import io.firstline.console.tickets.TicketService.Effect;
import io.firstline.rules.Comparison;
import io.firstline.rules.Rule;
import io.firstline.rules.Scope;
import io.firstline.rules.Severity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import io.firstline.console.store.StoreKind;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;

@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class TicketServiceTest {
    @Parameter
    StoreKind storeKind;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private Store store;
    private TicketService tickets;
    private MaintenanceWindows windows;
    private long sequence;

    static final Rule DISK = new Rule("disk_almost_full", Rule.Kind.THRESHOLD, "fs.used_ratio", "*", Comparison.ABOVE, 0.9,
            Duration.ofMinutes(1), 0.85, Duration.ofMinutes(1), false, Rule.Flap.NONE, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Severity.CRITICAL, Scope.ANY, new Rule.Text("Disk {resource} almost full", "Clean {resource}.",
            "Your disk is full.", List.of("kb-disk")));

    @BeforeEach
    void open() {
        store = storeKind.open(dir);
        tickets = service(TicketPolicy.defaults());
        windows = new MaintenanceWindows(store, clock);
    }

    private TicketService service(TicketPolicy policy) {
        AgentDirectory directory = id -> new AgentDirectory.AgentFacts("host-" + id, id.startsWith("hq") ? "hq" : "branch",
                "Linux", Set.of("lab"));
        return new TicketService(store, clock, policy, directory, id -> id.equals(DISK.id()) ? Optional.of(DISK) : Optional.empty(),
                new NotificationOutbox(List.of(new WebhookTarget("ops", URI.create("http://127.0.0.1:1/hook"),
                        WebhookTarget.Format.GENERIC, ""))), new TicketMetrics(new SimpleMeterRegistry()));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private FaultEvent raise(String agent, String resource) {
        return new FaultEvent(new FaultKey(agent, DISK.id(), resource), true, "fs.used_ratio", 0.95, 0.9,
                clock.instant().minusSeconds(60), clock.instant(), "", 1000, ++sequence);
    }

    private FaultEvent clear(String agent, String resource) {
        return new FaultEvent(new FaultKey(agent, DISK.id(), resource), false, "fs.used_ratio", 0.5, 0,
                clock.instant(), clock.instant(), "recovered", 1000, ++sequence);
    }

    private long count(String sql) {
        return store.read(c -> Sql.one(c, sql, rs -> rs.getLong(1)).orElseThrow());
    }

    private List<String> kinds(long id) {
        return tickets.timeline(id).stream().map(TicketEvent::kind).toList();
    }

    @Test
    void aFaultOpensATicketAndItsClearResolvesIt() {
        TicketService.Outcome o = tickets.apply(raise("a1", "/home"));
        assertEquals(Effect.OPENED, o.effect());
        Ticket t = o.ticket().orElseThrow();
        assertEquals("a1/disk_almost_full//home", t.faultKey());
        assertEquals("Disk /home almost full", t.title());
        assertEquals("host-a1", t.hostname());
        assertEquals(Severity.CRITICAL, t.severity());
        assertEquals(TicketState.OPEN, t.state());
        assertTrue(t.faultActive());
        assertTrue(tickets.timeline(t.id()).get(0).detail().contains("\"value\":0.95"));
        clock.advance(Duration.ofMinutes(5));
        o = tickets.apply(clear("a1", "/home"));
        assertEquals(Effect.RESOLVED, o.effect());
        Ticket r = tickets.get(t.id()).orElseThrow();
        assertEquals(TicketState.RESOLVED, r.state());
        assertFalse(r.faultActive());
        assertEquals(List.of("raised", "resolved"), kinds(t.id()));
        assertEquals(List.of(), tickets.list(TicketService.Query.OPEN));
        assertEquals(1, tickets.list(new TicketService.Query("all", "", "", "", "", "", 10)).size());
        assertEquals(2, count("SELECT COUNT(*) FROM notification_outbox"), "opened and resolved queued");
    }

    @Test
    void replaysAndRepeatsNeverDuplicateATicket() {
        FaultEvent first = raise("a1", "/");
        assertEquals(Effect.OPENED, tickets.apply(first).effect());
        assertEquals(Effect.DUPLICATE, tickets.apply(first).effect(), "the same event replayed");
        assertEquals(Effect.UNCHANGED, tickets.apply(raise("a1", "/")).effect(), "raised again while raised: a recurrence, no new ticket");
        assertEquals(1, count("SELECT COUNT(*) FROM tickets"));
        FaultEvent cleared = clear("a1", "/");
        assertEquals(Effect.RESOLVED, tickets.apply(cleared).effect());
        assertEquals(Effect.DUPLICATE, tickets.apply(cleared).effect());
        assertEquals(Effect.DUPLICATE, tickets.apply(first).effect(), "an old raise replayed after the clear");
        assertEquals(1, count("SELECT COUNT(*) FROM tickets"));
        assertEquals(TicketState.RESOLVED, tickets.list(new TicketService.Query("all", "", "", "", "", "", 10)).get(0).state());
    }

    /**
     * After a reconnect the agent sends live events before its spooled backlog, so a newer event of a fault can
     * arrive before older ones that were never applied: those are history (a raise is one more recurrence), not
     * state, and each of them is still applied exactly once, across a console restart too.
     */
    @Test
    void eventsOvertakenByANewerOneAreCountedAsHistoryAndNeverMoveTheStateBack() {
        assertEquals(Effect.OPENED, tickets.apply(raise("a1", "/")).effect());
        assertEquals(Effect.RESOLVED, tickets.apply(clear("a1", "/")).effect());
        FaultEvent spooledRaise = raise("a1", "/");
        FaultEvent spooledClear = clear("a1", "/");
        FaultEvent live = raise("a1", "/");

        assertEquals(Effect.REOPENED, tickets.apply(live).effect(), "the live raise arrives first");
        assertEquals(Effect.UNCHANGED, tickets.apply(spooledRaise).effect(), "an older raise, never applied: history");
        assertEquals(Effect.UNCHANGED, tickets.apply(spooledClear).effect(), "an older clear: history, not a resolve");
        Ticket t = tickets.list(TicketService.Query.OPEN).get(0);
        assertEquals(TicketState.OPEN, t.state());
        assertTrue(t.faultActive(), "the newest event decides the fault's state");
        assertEquals(2, t.recurrences(), "three raises: the opening and two recurrences, one of them late");
        assertEquals(List.of(new FaultKey("a1", DISK.id(), "/")), tickets.activeFaults("a1"));
        List<TicketEvent> timeline = tickets.timeline(t.id());
        assertEquals(List.of("raised", "resolved", "reopened", "recurred", "fault_cleared"),
                timeline.stream().map(TicketEvent::kind).toList());
        assertTrue(timeline.get(3).detail().contains("\"late\":true"), timeline.get(3).detail());

        TicketService restarted = service(TicketPolicy.defaults());
        for (FaultEvent again : List.of(spooledRaise, spooledClear, live)) {
            assertEquals(Effect.DUPLICATE, tickets.apply(again).effect(), "replayed: " + again.sequence());
            assertEquals(Effect.DUPLICATE, restarted.apply(again).effect(), "replayed after a restart: " + again.sequence());
        }
        assertEquals(2, tickets.list(TicketService.Query.OPEN).get(0).recurrences());
    }

    /** The same, when the live raise finds the fault still raised here because the clear before it is spooled. */
    @Test
    void aLiveRaiseOvertakingItsOwnClearIsARecurrence() {
        assertEquals(Effect.OPENED, tickets.apply(raise("a1", "/")).effect());
        List<FaultEvent> spooled = List.of(clear("a1", "/"), raise("a1", "/"), clear("a1", "/"));
        FaultEvent live = raise("a1", "/");
        assertEquals(Effect.UNCHANGED, tickets.apply(live).effect());
        assertEquals(1, tickets.list(TicketService.Query.OPEN).get(0).recurrences(), "it cleared in between: a recurrence");
        for (FaultEvent e : spooled) {
            assertEquals(Effect.UNCHANGED, tickets.apply(e).effect(), "late: " + e.sequence());
        }
        Ticket t = tickets.list(TicketService.Query.OPEN).get(0);
        assertEquals(2, t.recurrences(), "three raises: the opening and two recurrences");
        assertTrue(t.faultActive());
        assertEquals(1, count("SELECT COUNT(*) FROM tickets"));
    }

    /**
     * A fault the console has never heard of, raised and cleared while it was away: the live clear arrives before the
     * spooled raise. The raise is still one ticket's opening, and the ticket is resolved, not left open for a fault
     * the agent has cleared (ConsoleKillIT's stray live tickets after a kill -9).
     */
    @Test
    void aFirstRaiseArrivingAfterItsClearOpensAResolvedTicket() {
        FaultEvent spooledRaise = raise("a1", "/");
        FaultEvent liveClear = clear("a1", "/");
        assertEquals(Effect.UNCHANGED, tickets.apply(liveClear).effect(), "nothing raised here to clear");
        assertEquals(Effect.UNCHANGED, tickets.apply(spooledRaise).effect(), "older than the clear: history");
        List<Ticket> all = tickets.list(new TicketService.Query("all", "", "", "", "", "", 10));
        assertEquals(1, all.size(), "the raise is recorded");
        Ticket t = all.get(0);
        assertEquals(TicketState.RESOLVED, t.state());
        assertFalse(t.faultActive());
        assertEquals(List.of(), tickets.activeFaults("a1"));
        assertEquals(List.of("raised", "resolved"), kinds(t.id()));
        assertEquals(0, count("SELECT COUNT(*) FROM notification_outbox"), "nobody is told of a fault already over");

        assertEquals(Effect.DUPLICATE, tickets.apply(spooledRaise).effect());
        assertEquals(Effect.DUPLICATE, tickets.apply(liveClear).effect());
        assertEquals(Effect.REOPENED, tickets.apply(raise("a1", "/")).effect(), "a newer raise reopens it");
        assertEquals(Effect.RESOLVED, tickets.apply(clear("a1", "/")).effect());
        assertEquals(1, count("SELECT COUNT(*) FROM tickets"));
    }

    @Test
    void appliedEventsAreForgottenOnceTheAgentCanNoLongerSendThem() {
        for (int i = 0; i < 3; i++) {
            tickets.apply(raise("a1", "/"));
            tickets.apply(clear("a1", "/"));
        }
        tickets.apply(raise("a2", "/"));
        assertEquals(7, count("SELECT COUNT(*) FROM fault_events_applied"));
        assertEquals(3, tickets.forgetApplied("a1", 1000, 4), "the agent holds nothing of its epoch below sequence 4");
        assertEquals(3, tickets.forgetApplied("a1", 1000, 0), "nor anything of it at all");
        assertEquals(0, tickets.forgetApplied("a1", 999, 0), "another epoch");
        assertEquals(1, count("SELECT COUNT(*) FROM fault_events_applied"));
        clock.advance(TicketSweeper.APPLIED_KEPT.plusMinutes(1));
        new TicketSweeper(tickets).sweep();
        assertEquals(0, count("SELECT COUNT(*) FROM fault_events_applied"), "kept for 30 days at most");
    }

    @Test
    void repeatedEventsOfARaisedEventFaultAreRecurrencesOnItsTicket() {
        FaultKey key = new FaultKey("a1", "oom_kill", "java");
        java.util.function.IntFunction<FaultEvent> kill = n -> new FaultEvent(key, true, "oom_kill", n, 0, clock.instant(),
                clock.instant(), "", 1000, ++sequence, n, java.util.Map.of("pid", String.valueOf(100 + n), "cgroup", "/app"));
        Ticket t = tickets.apply(kill.apply(1)).ticket().orElseThrow();
        assertEquals("Fault oom_kill on java", t.title(), "the resource (the process) names the ticket");
        assertTrue(tickets.timeline(t.id()).get(0).detail().contains("\"pid\":\"101\""));
        assertEquals(Effect.UNCHANGED, tickets.apply(kill.apply(2)).effect());
        assertEquals(Effect.UNCHANGED, tickets.apply(kill.apply(3)).effect());
        Ticket after = tickets.get(t.id()).orElseThrow();
        assertEquals(2, after.recurrences());
        assertEquals(List.of("raised", "recurred", "recurred"), kinds(t.id()));
        assertEquals(1, count("SELECT COUNT(*) FROM tickets"));
    }

    @Test
    void aClearOfAnUnknownOrResolvedFaultOpensNothing() {
        assertEquals(Effect.UNCHANGED, tickets.apply(clear("a1", "/")).effect());
        assertEquals(0, count("SELECT COUNT(*) FROM tickets"));
    }

    @Test
    void aRecurrenceWithinTheWindowReopensAndCountsAfterItLinksANewTicket() {
        long id = tickets.apply(raise("a1", "/")).ticket().orElseThrow().id();
        tickets.apply(clear("a1", "/"));
        clock.advance(Duration.ofHours(2));
        TicketService.Outcome again = tickets.apply(raise("a1", "/"));
        assertEquals(Effect.REOPENED, again.effect());
        assertEquals(id, again.ticket().orElseThrow().id());
        assertEquals(1, again.ticket().orElseThrow().recurrences());
        tickets.apply(clear("a1", "/"));
        clock.advance(Duration.ofHours(25));
        TicketService.Outcome later = tickets.apply(raise("a1", "/"));
        assertEquals(Effect.OPENED, later.effect());
        Ticket fresh = later.ticket().orElseThrow();
        assertEquals(id, fresh.previousTicketId());
        assertEquals(List.of("raised", "resolved", "reopened", "resolved"), kinds(id));
        assertEquals(List.of("raised", "linked"), kinds(fresh.id()));
    }

    @Test
    void peopleMoveTicketsThroughTheirStates() {
        long id = tickets.apply(raise("a1", "/")).ticket().orElseThrow().id();
        assertEquals(TicketState.ACKNOWLEDGED, tickets.acknowledge(id, "alice").state());
        assertEquals("bob", tickets.assign(id, "alice", "bob").assignee());
        tickets.comment(id, "bob", "cleaning /var/log");
        assertEquals(1, tickets.escalate(id, "bob", "needs a bigger disk").escalationLevel());
        Ticket resolved = tickets.resolve(id, "bob", "grew the volume");
        assertEquals(TicketState.RESOLVED, resolved.state());
        assertTrue(resolved.faultActive(), "a person may resolve while the fault is still raised");
        Ticket reopened = tickets.reopen(id, "carol", "still full");
        assertEquals(TicketState.OPEN, reopened.state());
        assertNull(reopened.ackedAt());
        assertEquals(List.of("raised", "acknowledged", "assigned", "commented", "escalated", "resolved", "reopened"), kinds(id));
        TicketEvent ack = tickets.timeline(id).get(1);
        assertEquals("alice", ack.actor());
    }

    @Test
    void illegalTransitionsAreRejectedWithAClearMessage() {
        long id = tickets.apply(raise("a1", "/")).ticket().orElseThrow().id();
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> tickets.reopen(id, "a", ""));
        assertTrue(e.getMessage().contains("only a resolved or closed ticket can be reopened"), e.getMessage());
        tickets.acknowledge(id, "alice");
        e = assertThrows(IllegalTransitionException.class, () -> tickets.acknowledge(id, "alice"));
        assertEquals("ticket " + id + " is acknowledged; only an open ticket can be acknowledged", e.getMessage());
        tickets.apply(clear("a1", "/"));
        assertThrows(IllegalTransitionException.class, () -> tickets.acknowledge(id, "x"));
        assertThrows(IllegalTransitionException.class, () -> tickets.assign(id, "x", "y"));
        assertThrows(IllegalTransitionException.class, () -> tickets.escalate(id, "x", ""));
        assertThrows(IllegalTransitionException.class, () -> tickets.resolve(id, "x", ""));
        assertThrows(TicketNotFoundException.class, () -> tickets.acknowledge(999, "x"));
        assertThrows(IllegalArgumentException.class, () -> tickets.comment(id, "x", " "));
        assertThrows(IllegalArgumentException.class, () -> tickets.acknowledge(id, ""));
        tickets.comment(id, "x", "comments are always allowed");
    }

    @Test
    void reopeningByHandIsRefusedWhileAnotherTicketIsOpenForTheFault() {
        long old = tickets.apply(raise("a1", "/")).ticket().orElseThrow().id();
        tickets.apply(clear("a1", "/"));
        clock.advance(Duration.ofHours(30));
        long fresh = tickets.apply(raise("a1", "/")).ticket().orElseThrow().id();
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> tickets.reopen(old, "a", ""));
        assertTrue(e.getMessage().contains("ticket " + fresh + " is already open"), e.getMessage());
    }

    @Test
    void resolvedTicketsCloseAfterTheQuietPeriod() {
        long id = tickets.apply(raise("a1", "/")).ticket().orElseThrow().id();
        tickets.apply(clear("a1", "/"));
        TicketSweeper sweeper = new TicketSweeper(tickets);
        clock.advance(Duration.ofHours(23));
        sweeper.sweep();
        assertEquals(TicketState.RESOLVED, tickets.get(id).orElseThrow().state());
        clock.advance(Duration.ofHours(1));
        sweeper.sweep();
        assertEquals(TicketState.CLOSED, tickets.get(id).orElseThrow().state());
        assertEquals("closed", kinds(id).get(kinds(id).size() - 1));
    }

    @Test
    void slaBreachesAreRecordedOnceAndEscalationStepsApply() {
        long id = tickets.apply(raise("a1", "/")).ticket().orElseThrow().id();
        TicketSweeper sweeper = new TicketSweeper(tickets);
        clock.advance(Duration.ofMinutes(14));
        sweeper.sweep();
        assertEquals(0, tickets.get(id).orElseThrow().escalationLevel());
        clock.advance(Duration.ofMinutes(2));
        sweeper.sweep();
        sweeper.sweep();
        Ticket t = tickets.get(id).orElseThrow();
        assertEquals(1, t.escalationLevel());
        assertEquals(1, kinds(id).stream().filter("sla_breached"::equals).count());
        clock.advance(Duration.ofMinutes(15));
        sweeper.sweep();
        t = tickets.get(id).orElseThrow();
        assertEquals(2, t.escalationLevel());
        assertEquals("oncall-lead", t.assignee());
        tickets.acknowledge(id, "lead");
        clock.advance(Duration.ofHours(5));
        sweeper.sweep();
        assertEquals(2, tickets.get(id).orElseThrow().escalationLevel(), "no steps once acknowledged");
        assertEquals(2, kinds(id).stream().filter("sla_breached"::equals).count(), "ack and resolve targets missed");
    }

    @Test
    void maintenanceHoldsNotificationsButNeverLosesAResolve() {
        // A ticket opened and notified before the window must still send its resolve inside the window.
        tickets.apply(raise("a1", "/"));
        windows.create(MaintenanceWindow.Scope.AGENT, "a1", clock.instant(), clock.instant().plus(Duration.ofHours(1)),
                "disk swap", "admin");
        tickets.apply(clear("a1", "/"));
        assertEquals(List.of("opened", "resolved"), store.read(c -> Sql.list(c,
                "SELECT event FROM notification_outbox ORDER BY id", rs -> rs.getString(1))));

        // Opened inside a window: recorded, no notification, and no resolve notification for it either.
        windows.create(MaintenanceWindow.Scope.SITE, "hq", clock.instant(), clock.instant().plus(Duration.ofHours(1)),
                "site work", "admin");
        Ticket held = tickets.apply(raise("hq-2", "/")).ticket().orElseThrow();
        assertTrue(held.muted());
        assertEquals(2, count("SELECT COUNT(*) FROM notification_outbox"));
        tickets.apply(clear("hq-2", "/"));
        assertEquals(TicketState.RESOLVED, tickets.get(held.id()).orElseThrow().state(), "the resolve is never lost");
        assertEquals(2, count("SELECT COUNT(*) FROM notification_outbox"));

        // Still raised when the window ends: the held notification goes out then.
        Ticket still = tickets.apply(raise("hq-3", "/")).ticket().orElseThrow();
        assertTrue(still.muted());
        clock.advance(Duration.ofMinutes(61));
        new TicketSweeper(tickets).sweep();
        assertFalse(tickets.get(still.id()).orElseThrow().muted());
        assertEquals(3, count("SELECT COUNT(*) FROM notification_outbox"));
    }

    @Test
    void maintenanceWindowsAreListedAndEnded() {
        MaintenanceWindow w = windows.create(MaintenanceWindow.Scope.TAG, "lab", clock.instant(),
                clock.instant().plus(Duration.ofHours(1)), "lab rebuild", "admin");
        assertEquals(1, windows.list(false).size());
        Ticket held = tickets.apply(raise("x1", "/")).ticket().orElseThrow();
        assertTrue(held.muted(), "tag scope covers the agent");
        windows.end(w.id());
        assertEquals(0, windows.list(false).size());
        assertEquals(1, windows.list(true).size());
        assertThrows(IllegalTransitionException.class, () -> windows.end(w.id()));
        assertThrows(IllegalArgumentException.class, () -> windows.create(MaintenanceWindow.Scope.AGENT, "a",
                clock.instant(), clock.instant(), "", "admin"));
    }

    @Test
    void listsFilterByStateSeverityAgentRuleSiteAndText() {
        tickets.apply(raise("hq-1", "/"));
        tickets.apply(raise("b-1", "/srv"));
        tickets.apply(clear("b-1", "/srv"));
        assertEquals(1, tickets.list(TicketService.Query.OPEN).size());
        assertEquals(2, tickets.list(new TicketService.Query("all", "", "", "", "", "", 10)).size());
        assertEquals(1, tickets.list(new TicketService.Query("resolved", "", "", "", "", "", 10)).size());
        assertEquals(1, tickets.list(new TicketService.Query("all", "critical", "", "", "hq", "", 10)).size());
        assertEquals(0, tickets.list(new TicketService.Query("all", "info", "", "", "", "", 10)).size());
        assertEquals(1, tickets.list(new TicketService.Query("all", "", "b-1", DISK.id(), "", "", 10)).size());
        assertEquals(1, tickets.list(new TicketService.Query("all", "", "", "", "", "/srv", 10)).size());
        assertEquals(0, tickets.list(new TicketService.Query("all", "", "", "", "", "100%", 10)).size());
        assertThrows(IllegalArgumentException.class, () -> new TicketService.Query("sleeping", "", "", "", "", "", 10));
    }

    @Test
    void activeFaultsAreListedPerAgent() {
        tickets.apply(raise("a1", "/"));
        tickets.apply(raise("a1", "/home"));
        tickets.apply(clear("a1", "/"));
        assertEquals(List.of(new FaultKey("a1", DISK.id(), "/home")), tickets.activeFaults("a1"));
    }
}

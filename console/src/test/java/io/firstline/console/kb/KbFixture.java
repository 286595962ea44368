package io.firstline.console.kb;

import io.firstline.console.MutableClock;
import io.firstline.console.notify.NotificationOutbox;
import io.firstline.console.store.StoreKind;
import io.firstline.console.store.Store;
import io.firstline.console.tickets.AgentDirectory;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketMetrics;
import io.firstline.console.tickets.TicketPolicy;
import io.firstline.console.tickets.TicketService;
import io.firstline.rules.Comparison;
import io.firstline.rules.Rule;
import io.firstline.rules.Scope;
import io.firstline.rules.Severity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A real store (SQLite or PostgreSQL) with tickets and a knowledge base, a clock the test moves, and a rule that links articles. */
final class KbFixture implements AutoCloseable {
    static final Duration REOPEN = Duration.ofHours(1);
    static final Rule DISK = new Rule("disk_almost_full", Rule.Kind.THRESHOLD, "fs.used_ratio", "*", Comparison.ABOVE, 0.9,
            Duration.ofMinutes(1), 0.85, Duration.ofMinutes(1), false, Rule.Flap.NONE, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Severity.WARNING, Scope.ANY, new Rule.Text("File system {resource} almost full",
            "More than 90% of {resource} is used.", "Your disk is full.", List.of("kb-linked-b", "kb-linked-a")));

    final MutableClock clock = new MutableClock();
    final Store store;
    final TicketService tickets;
    final KnowledgeBase kb;
    private long sequence;

    KbFixture(Path dir, StoreKind kind) {
        store = kind.open(dir);
        AgentDirectory directory = id -> new AgentDirectory.AgentFacts("host-" + id, "", "Ubuntu", Set.of());
        tickets = new TicketService(store, clock, TicketPolicy.defaults().withReopenWindow(REOPEN), directory,
                id -> id.equals(DISK.id()) ? Optional.of(DISK) : Optional.empty(), new NotificationOutbox(List.of()),
                new TicketMetrics(new SimpleMeterRegistry()));
        kb = new KnowledgeBase(store, clock, () -> REOPEN);
    }

    Article article(String id, String title, String body, List<String> rules, List<String> os) {
        return kb.create(id, new ArticleEdit(title, body, "", "", "user text of " + id, List.of("test"), rules, os,
                Article.Status.PUBLISHED), "tester", "written", null, "");
    }

    Ticket raise(String agent, String resource) {
        return tickets.apply(event(agent, resource, true)).ticket().orElseThrow();
    }

    void clear(String agent, String resource) {
        tickets.apply(event(agent, resource, false));
    }

    private FaultEvent event(String agent, String resource, boolean raised) {
        return new FaultEvent(new FaultKey(agent, DISK.id(), resource), raised, "fs.used_ratio", raised ? 0.95 : 0.5,
                0.9, clock.instant().minusSeconds(60), clock.instant(), raised ? "" : "recovered", 1000, ++sequence);
    }

    @Override
    public void close() {
        store.close();
    }
}

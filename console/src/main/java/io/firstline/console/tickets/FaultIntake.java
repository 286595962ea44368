package io.firstline.console.tickets;

import io.firstline.wire.KeyValues;
import io.firstline.console.ingest.Commit;
import io.firstline.console.ingest.FaultPort;
import io.firstline.console.rules.RuleFile;
import io.firstline.console.rules.RulesService;
import io.firstline.proto.Envelope;
import io.firstline.proto.FaultCleared;
import io.firstline.proto.FaultRaised;
import io.firstline.proto.FaultRef;
import io.firstline.proto.Hello;
import io.firstline.proto.RuleSet;
import io.firstline.rules.Rule;
import io.firstline.rules.RuleCodec;
import io.firstline.rules.Transition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.Channel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects fault detection to the agent link and to tickets: builds each
 * agent's rule set (its scope, plus the faults the console holds open for
 * it), pushes it again when the rules change, and commits fault events, from
 * agents and from the console's own rules, on one ticketing thread, in
 * arrival order, without blocking any network thread.
 */
public final class FaultIntake implements FaultPort, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultIntake.class);

    private record Link(Channel channel, Hello hello) {
    }

    private final TicketService tickets;
    private final RulesService rules;
    private final AgentDirectory directory;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "firstline-tickets");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    /** The agent-side rules each agent was sent (since this console started): what its fault events may name. */
    private final Map<String, SentRules> sent = new ConcurrentHashMap<>();
    private final Timer intake;

    public FaultIntake(TicketService tickets, RulesService rules, AgentDirectory directory, MeterRegistry registry) {
        this.intake = Timer.builder("firstline.fault.intake")
                .description("From an agent's fault event arriving at the console to its ticket committed")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram(false).register(registry);
        this.tickets = tickets;
        this.rules = rules;
        this.directory = directory;
        rules.onChange(this::pushAll);
    }

    @Override
    public Optional<Envelope> ruleSet(Hello hello) {
        return Optional.of(Envelope.newBuilder().setRuleSet(build(hello, rules.current())).build());
    }

    private RuleSet build(Hello hello, RuleFile file) {
        AgentDirectory.AgentFacts facts = directory.facts(hello.getAgentId());
        String os = hello.getHost().getOsFamily().isEmpty() ? facts.osFamily() : hello.getHost().getOsFamily();
        List<Rule> mine = file.agentRules().stream().filter(r -> r.scope().matches(facts.site(), os, facts.tags())).toList();
        sent.computeIfAbsent(hello.getAgentId(), id -> new SentRules()).sent(mine);
        Set<String> ids = mine.stream().map(Rule::id).collect(Collectors.toSet());
        RuleSet.Builder b = RuleSet.newBuilder().setVersion(file.version())
                .setCheckIntervalMs((int) file.checkInterval().toMillis());
        mine.forEach(r -> b.addRules(RuleCodec.toProto(r)));
        for (FaultKey k : tickets.activeFaults(hello.getAgentId())) {
            if (ids.contains(k.ruleId())) {
                b.addActiveFaults(FaultRef.newBuilder().setRuleId(k.ruleId()).setResource(k.resource()));
            }
        }
        return b.build();
    }

    private void pushAll(RuleFile file) {
        links.forEach((agentId, link) -> {
            try {
                link.channel().writeAndFlush(Envelope.newBuilder().setRuleSet(build(link.hello(), file)).build(),
                        link.channel().voidPromise());
            } catch (RuntimeException e) {
                log.warn("could not push rules to agent {}", agentId, e);
            }
        });
        log.info("pushed rules {} to {} connected agents", file.version(), links.size());
    }

    @Override
    public void connected(String agentId, Hello hello, Channel channel) {
        links.put(agentId, new Link(channel, hello));
    }

    @Override
    public void disconnected(String agentId, Channel channel) {
        links.computeIfPresent(agentId, (k, l) -> l.channel() == channel ? null : l);
    }

    /**
     * Commits an agent's fault event, if the agent may send it (see
     * {@link FaultChecks}); a refused event completes at once with its reason
     * and changes nothing.
     */
    @Override
    public CompletableFuture<Commit> apply(String agentId, long bootEpoch, long sequence, Envelope event) {
        Commit refused = FaultChecks.check(event, sent.getOrDefault(agentId, SentRules.NONE),
                id -> rules.current().rule(id).filter(r -> !r.kind().runsOnAgent()).isPresent());
        if (refused != Commit.APPLIED) {
            return CompletableFuture.completedFuture(refused);
        }
        FaultEvent e = switch (event.getBodyCase()) {
            case FAULT_RAISED -> raised(agentId, bootEpoch, sequence, event.getFaultRaised());
            case FAULT_CLEARED -> cleared(agentId, bootEpoch, sequence, event.getFaultCleared());
            default -> throw new IllegalArgumentException("not a fault event: " + event.getBodyCase());
        };
        long arrived = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> {
            TicketService.Outcome o = tickets.apply(e);
            intake.record(System.nanoTime() - arrived, TimeUnit.NANOSECONDS);
            return o.effect() == TicketService.Effect.DUPLICATE ? Commit.DUPLICATE : Commit.APPLIED;
        }, thread);
    }

    /** Forgets, on the ticketing thread and so after every event queued before it, what the agent can no longer send. */
    @Override
    public void holdsNothingBelow(String agentId, long bootEpoch, long oldestPending) {
        try {
            CompletableFuture.runAsync(() -> tickets.forgetApplied(agentId, bootEpoch, oldestPending), thread).exceptionally(x -> {
                log.warn("could not forget the applied fault events of agent {} below {}; the sweeper will", agentId, oldestPending, x);
                return null;
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            log.debug("console closing: applied fault events of agent {} kept for the next connection", agentId);
        }
    }

    private static FaultEvent raised(String agentId, long epoch, long seq, FaultRaised r) {
        Instant at = r.getRaisedMs() == 0 ? Instant.now() : Instant.ofEpochMilli(r.getRaisedMs());
        return new FaultEvent(new FaultKey(agentId, r.getFault().getRuleId(), r.getFault().getResource()), true, r.getMetric(),
                r.getValue(), r.getThreshold(), r.getSinceMs() == 0 ? at : Instant.ofEpochMilli(r.getSinceMs()), at, "", epoch, seq,
                r.getOccurrences(), KeyValues.toMap(r.getDetailsList()));
    }

    private static FaultEvent cleared(String agentId, long epoch, long seq, FaultCleared c) {
        Instant at = c.getClearedMs() == 0 ? Instant.now() : Instant.ofEpochMilli(c.getClearedMs());
        return new FaultEvent(new FaultKey(agentId, c.getFault().getRuleId(), c.getFault().getResource()), false, "",
                c.getValue(), 0, at, at, c.getReason(), epoch, seq);
    }

    /** A transition of one of the console's own rules (trend, heartbeat) about {@code agentId}. */
    public CompletableFuture<Void> consoleTransition(String agentId, Transition t) {
        FaultEvent e = new FaultEvent(new FaultKey(agentId, t.rule().id(), t.resource()), t.raised(), t.rule().metric(),
                t.value(), t.rule().threshold(), t.since(), t.at(), t.reason(), 0, 0);
        return CompletableFuture.runAsync(() -> tickets.apply(e), thread).exceptionally(x -> {
            log.error("could not apply console fault {} of {}", t.rule().id(), agentId, x);
            return null;
        });
    }

    /** Waits for queued events to commit, then stops the ticketing thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("fault events still queued at shutdown; agents will send them again");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

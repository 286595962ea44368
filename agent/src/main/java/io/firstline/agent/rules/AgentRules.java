package io.firstline.agent.rules;

import io.firstline.wire.KeyValues;
import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.collect.Registration;
import io.firstline.agent.collect.Snapshot;
import io.firstline.agent.events.EventSources;
import io.firstline.agent.events.KernelEvent;
import io.firstline.proto.Envelope;
import io.firstline.proto.FaultCleared;
import io.firstline.proto.FaultRaised;
import io.firstline.proto.FaultRef;
import io.firstline.proto.RuleDef;
import io.firstline.proto.RuleSet;
import io.firstline.rules.FaultEvaluator;
import io.firstline.rules.Rule;
import io.firstline.rules.RuleCodec;
import io.firstline.rules.Transition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's half of fault detection. It runs the rules the console pushed
 * ({@link RuleSet}) over every sample and, between samples, over fast
 * re-reads of the watched signals every check interval, and sends
 * FaultRaised / FaultCleared the moment a rule's duration passes. Events go
 * through the link's outbox, so they are sequenced and resent until the
 * console acknowledges them.
 *
 * <p>Event sources ({@link EventSources}) feed it directly: typed kernel
 * events go to the event rules ({@link #onEvent}), and the state signals the
 * watchers see change ({@code fs.read_only}, {@code net.up}) go to the
 * threshold rules at once ({@link #onReading}), so fast checks do not re-read
 * them. Fast checks re-read only metrics that some rule needs sooner than
 * the next sample: those of rules whose {@code for} is shorter than the
 * sample interval; a rule that must hold for a minute gains nothing from
 * four readings a second.
 *
 * <p>Besides collector values it feeds two signals of its own:
 * {@value #CONSECUTIVE_FAILURES} per collector, and {@value #CLOCK_SKEW}
 * (absolute offset from the console's clock). All methods run on the collect
 * thread ({@code executor}).
 */
public final class AgentRules implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentRules.class);
    public static final String CONSECUTIVE_FAILURES = "collector.consecutive_failures";
    public static final String CLOCK_SKEW = "clock.skew_seconds";

    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Consumer<Envelope.Builder> send;
    private final List<Registration> registrations;
    private final HostProbe probe;
    private final LongSupplier clockOffsetMillis;
    private final FaultEvaluator evaluator;
    private final java.util.function.Supplier<java.time.Duration> sampleInterval;
    private volatile java.util.Set<String> fedByWatchers = java.util.Set.of();
    private final Map<String, Integer> failures = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong raisesSent = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong clearsSent = new java.util.concurrent.atomic.AtomicLong();
    private String version = "";
    private FastChecks fast;
    private ScheduledFuture<?> fastSchedule;

    public AgentRules(Clock clock, ScheduledExecutorService executor, Consumer<Envelope.Builder> send,
                      List<Registration> registrations, HostProbe probe, LongSupplier clockOffsetMillis,
                      java.util.function.Supplier<java.time.Duration> sampleInterval) {
        this.sampleInterval = sampleInterval;
        this.clock = clock;
        this.executor = executor;
        this.send = send;
        this.registrations = List.copyOf(registrations);
        this.probe = probe;
        this.clockOffsetMillis = clockOffsetMillis;
        this.evaluator = new FaultEvaluator(clock);
    }

    /** The metrics that event sources write as they change; fast checks leave them alone. */
    public void fedByWatchers(java.util.Set<String> metrics) {
        fedByWatchers = java.util.Set.copyOf(metrics);
    }

    /** A typed event from the kernel (any thread); evaluated on the collect thread. */
    public void onEvent(KernelEvent e) {
        executor.execute(() -> {
            try {
                emit(evaluator.event(e.type(), e.resource(), e.fields()));
            } catch (RuntimeException x) {
                log.error("event {} on '{}' failed", e.type(), e.resource(), x);
            }
        });
    }

    /** A state signal that changed, from an event source (any thread); evaluated on the collect thread. */
    public void onReading(String metric, String resource, double value) {
        executor.execute(() -> {
            try {
                emit(evaluator.observe(metric, resource, value));
            } catch (RuntimeException x) {
                log.error("reading {} of '{}' failed", metric, resource, x);
            }
        });
    }

    /** Takes a rule set from the console (any thread); applied on the collect thread. */
    public void install(RuleSet set) {
        executor.execute(() -> apply(set));
    }

    private void apply(RuleSet set) {
        List<Rule> rules = new ArrayList<>();
        for (RuleDef d : set.getRulesList()) {
            try {
                rules.add(RuleCodec.fromProto(d));
            } catch (IllegalArgumentException e) {
                log.warn("ignoring rule {} from the console: {}", d.getId(), e.getMessage());
            }
        }
        emit(evaluator.setRules(rules));
        for (FaultRef f : set.getActiveFaultsList()) {
            evaluator.adopt(f.getRuleId(), f.getResource());
        }
        boolean changed = !set.getVersion().equals(version);
        version = set.getVersion();
        if (changed || fastSchedule == null) {
            if (fastSchedule != null) {
                fastSchedule.cancel(false);
            }
            long every = set.getCheckIntervalMs() > 0 ? set.getCheckIntervalMs() : 250;
            fast = new FastChecks(registrations, probe, clock, every);
            fastSchedule = executor.scheduleWithFixedDelay(this::fastCheck, every, every, TimeUnit.MILLISECONDS);
            log.info("running {} rules from the console (version {}), checking every {} ms", rules.size(), version, every);
        }
    }

    /** Evaluates a full sample (collect thread). */
    public void onSnapshot(Snapshot s) {
        if (evaluator.rules().isEmpty()) {
            countFailures(s);
            return;
        }
        for (Snapshot.Reading r : s.values()) {
            emit(evaluator.observe(r.metric(), r.resource(), r.value()));
        }
        for (Map.Entry<String, Integer> f : countFailures(s).entrySet()) {
            emit(evaluator.observe(CONSECUTIVE_FAILURES, f.getKey(), f.getValue()));
        }
        emit(evaluator.observe(CLOCK_SKEW, "", Math.abs(clockOffsetMillis.getAsLong()) / 1000.0));
        emit(evaluator.tick());
    }

    private Map<String, Integer> countFailures(Snapshot s) {
        for (Snapshot.Run run : s.runs()) {
            failures.merge(run.collector(), run.outcome() == Snapshot.Outcome.FAILED ? 1 : 0,
                    (old, add) -> add == 0 ? 0 : old + 1);
        }
        return failures;
    }

    private void fastCheck() {
        try {
            java.util.Set<String> needed = evaluator.metricsNeededWithin(sampleInterval.get());
            java.util.Set<String> fed = fedByWatchers;
            for (Snapshot.Reading r : fast.read(m -> needed.contains(m) && !fed.contains(m))) {
                emit(evaluator.observe(r.metric(), r.resource(), r.value()));
            }
            emit(evaluator.tick());
        } catch (RuntimeException e) {
            log.error("fast rule check failed", e);
        }
    }

    private void emit(List<Transition> transitions) {
        for (Transition t : transitions) {
            FaultRef ref = FaultRef.newBuilder().setRuleId(t.rule().id()).setResource(t.resource()).build();
            if (t.type() != Transition.Type.CLEARED) {
                FaultRaised.Builder raised = FaultRaised.newBuilder().setFault(ref)
                        .setMetric(t.rule().metric()).setValue(t.value()).setThreshold(t.rule().threshold())
                        .setSinceMs(t.since().toEpochMilli()).setRaisedMs(t.at().toEpochMilli()).setRuleSetVersion(version)
                        .addAllDetails(KeyValues.of(t.details()));
                if (t.rule().kind() == io.firstline.rules.Rule.Kind.EVENT) {
                    raised.setOccurrences((int) t.value());
                }
                send.accept(Envelope.newBuilder().setFaultRaised(raised));
                raisesSent.incrementAndGet();
                log.debug("fault {}: {} on '{}' (value {})", t.raised() ? "raised" : "repeated", t.rule().id(), t.resource(),
                        t.value());
            } else {
                send.accept(Envelope.newBuilder().setFaultCleared(FaultCleared.newBuilder().setFault(ref)
                        .setValue(Double.isFinite(t.value()) ? t.value() : 0).setClearedMs(t.at().toEpochMilli())
                        .setReason(t.reason())));
                clearsSent.incrementAndGet();
                log.debug("fault cleared: {} on '{}' ({})", t.rule().id(), t.resource(), t.reason());
            }
        }
    }

    /** The faults this agent holds raised now. */
    public List<FaultEvaluator.Active> active() {
        return evaluator.active();
    }

    /** FaultRaised events handed to the link since start. */
    public long raisesSent() {
        return raisesSent.get();
    }

    /** FaultCleared events handed to the link since start. */
    public long clearsSent() {
        return clearsSent.get();
    }

    @Override
    public void close() {
        if (fastSchedule != null) {
            fastSchedule.cancel(false);
        }
    }
}

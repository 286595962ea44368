package io.firstline.console.rules;

import io.firstline.console.fleet.FleetState;
import io.firstline.rules.Comparison;
import io.firstline.rules.FaultEvaluator;
import io.firstline.rules.Rule;
import io.firstline.rules.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rules that belong on the console, once a second per known agent,
 * with one {@link FaultEvaluator} per agent: heartbeat loss (the metric
 * {@code agent.silent_intervals}, time since the agent was last heard divided
 * by the sample interval) and trend rules over each new sample's values.
 * Faults the store holds raised for an agent are adopted when its evaluator
 * is made, so a console restart neither repeats nor forgets them. Agents the
 * console knows from before a restart, or from their enrollment only, are
 * evaluated too: their silence counts from when they were last heard (or
 * enrolled).
 *
 * <p>With several console nodes each rule runs on one node only: heartbeat
 * loss on the node holding the console-rules lease ({@code leader}), over
 * the shared presence (an agent connected to another node is heard there);
 * trend rules on the node the agent is connected to, which alone receives
 * its samples, and for an agent connected nowhere on the lease holder. An
 * evaluator made when a node takes over adopts the faults the store holds
 * raised. On one node the lease is always held and this is the whole fleet.
 */
public final class ConsoleRuleRunner implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleRuleRunner.class);
    public static final String SILENT_INTERVALS = "agent.silent_intervals";

    /**
     * An agent's evaluator, the time of the last sample it saw (ms), the pass that last visited it, whether it is
     * settled (every rule found the last value it saw fine and recovered, and no fault is raised, so another such
     * value changes nothing), and when it must be visited next if nothing about the agent changes (ms since the
     * epoch; {@link Long#MAX_VALUE}: not before a change).
     */
    private record PerAgent(FaultEvaluator evaluator, long[] lastSample, long[] pass, boolean[] settled, long[] dueMs) {
    }

    /** An agent to visit at {@code atMs} unless it changed meanwhile (then a newer entry says when). */
    private record Due(long atMs, String id) {
    }

    private final FleetState fleet;
    private final RulesService rules;
    private final Clock clock;
    private final Duration interval;
    private final Function<String, List<String[]>> activeFaults;
    private final BiConsumer<String, Transition> sink;
    private final BooleanSupplier leader;
    /** Heartbeat-loss rules, per agent, while this node holds the lease. */
    private final Map<String, PerAgent> silence = new HashMap<>();
    /** Trend rules, per agent connected here (or anywhere-but-nowhere on the lease holder). */
    private final Map<String, PerAgent> trends = new HashMap<>();
    /** Agents to visit when a deadline of theirs comes, earliest first; an entry is stale once the agent's due time moved. */
    private final PriorityQueue<Due> due = new PriorityQueue<>(Comparator.comparingLong(Due::atMs));
    private final FleetState.RuleInput input = new FleetState.RuleInput();
    private String rulesVersion = "";
    private boolean led;
    private long passes;
    /** Agents visited so far (tests read it: a pass reads the changed and the due, not the whole fleet). */
    private long visits;

    /**
     * @param activeFaults for an agent id, the (rule id, resource) pairs the store holds raised
     * @param sink         receives (agent id, transition)
     */
    public ConsoleRuleRunner(FleetState fleet, RulesService rules, Clock clock, Duration interval,
                             Function<String, List<String[]>> activeFaults, BiConsumer<String, Transition> sink) {
        this(fleet, rules, clock, interval, activeFaults, sink, () -> true);
    }

    /** @param leader whether this node holds the console-rules lease now (asked once a pass) */
    public ConsoleRuleRunner(FleetState fleet, RulesService rules, Clock clock, Duration interval,
                             Function<String, List<String[]>> activeFaults, BiConsumer<String, Transition> sink,
                             BooleanSupplier leader) {
        this.leader = leader;
        this.fleet = fleet;
        this.rules = rules;
        this.clock = clock;
        this.interval = interval;
        this.activeFaults = activeFaults;
        this.sink = sink;
    }

    @Override
    public void run() {
        try {
            evaluate();
        } catch (RuntimeException e) {
            log.error("console rule evaluation failed; next pass in a second", e);
        }
    }

    /**
     * One pass. Called from one thread. It visits the agents that changed
     * since the last pass ({@link FleetState#drainRuleChanges}: a sample, a
     * connect or disconnect, a presence from another node) and those whose
     * own deadline came: an agent when its silence would cross a threshold
     * it has not crossed yet, an evaluator when a hold, quiet period or stale
     * time ends, and every pass one with a fault pending or recovering. An
     * agent whose silence fault is raised waits until it is heard. The first pass, and a pass after the rules or the lease
     * changed, visit the whole fleet ({@link FleetState#forEachRuleInput}).
     * At 10,000 agents sampling every 10 s that is about a thousand visits a
     * second instead of ten thousand, with the same transitions in the same
     * pass (docs/benchmarks.md, "Capacity"). A visit reads only what the
     * rules need: when the agent was last heard, where it is connected, and
     * the values of a sample it has not seen yet that a trend rule watches.
     */
    public void evaluate() {
        RuleFile file = rules.current();
        List<Rule> silenceRules = file.consoleRules().stream().filter(r -> r.metric().equals(SILENT_INTERVALS)).toList();
        List<Rule> trendRules = file.consoleRules().stream().filter(r -> !r.metric().equals(SILENT_INTERVALS)).toList();
        boolean changed = !file.version().equals(rulesVersion);
        rulesVersion = file.version();
        boolean lead = leader.getAsBoolean();
        Instant now = clock.instant();
        long nowMs = now.toEpochMilli();
        Set<String> watched = new HashSet<>();
        trendRules.forEach(r -> watched.add(r.metric()));
        long pass = ++passes;
        boolean whole = pass == 1 || changed || lead != led;
        led = lead;
        List<Due> next = new ArrayList<>();
        FleetState.RuleVisitor visitor = new FleetState.RuleVisitor() {
            @Override
            public boolean wantsValues(FleetState.RuleInput a) {
                if (watched.isEmpty() || !(a.here() || !a.connected() && lead)) {
                    return false;
                }
                PerAgent p = trends.get(a.id());
                return p == null || p.lastSample[0] != a.sampleTimeMs();
            }

            @Override
            public boolean watches(String metric) {
                return watched.contains(metric);
            }

            @Override
            public void visit(FleetState.RuleInput a) {
                if (visited(a.id()) == pass) {
                    return; // queued twice (changed again after a whole pass read it)
                }
                visits++;
                visitAgent(a, lead, now, pass, silenceRules, trendRules, changed);
                long at = dueMs(a.id());
                if (at != Long.MAX_VALUE) {
                    next.add(new Due(Math.max(at, nowMs), a.id()));
                }
            }
        };
        if (whole) {
            due.clear();
            fleet.drainRuleChanges(visitor); // taken now, so that the next pass does not read them again
            fleet.forEachRuleInput(visitor);
            silence.values().removeIf(p -> p.pass[0] != pass);
            trends.values().removeIf(p -> p.pass[0] != pass);
        } else {
            fleet.drainRuleChanges(visitor);
            for (Due d; (d = due.peek()) != null && d.atMs() <= nowMs; ) {
                due.poll();
                // Stale: the agent changed or was visited since, and a newer entry holds its due time (or it has none).
                if (d.atMs() != dueMs(d.id()) || visited(d.id()) == pass) {
                    continue;
                }
                if (!fleet.ruleInput(d.id(), input, visitor)) {
                    silence.remove(d.id());
                    trends.remove(d.id());
                }
            }
        }
        // Added after the pass: an agent due again at once is visited on the next pass, not twice in this one.
        due.addAll(next);
    }

    /** Agents visited so far, over every pass. */
    long visits() {
        return visits;
    }

    /** The pass that last visited the agent, 0 if none holds an evaluator for it. */
    private long visited(String id) {
        PerAgent s = silence.get(id);
        PerAgent t = trends.get(id);
        return Math.max(s == null ? 0 : s.pass[0], t == null ? 0 : t.pass[0]);
    }

    /** When the agent must be visited next if nothing about it changes. */
    private long dueMs(String id) {
        PerAgent s = silence.get(id);
        PerAgent t = trends.get(id);
        return Math.min(s == null ? Long.MAX_VALUE : s.dueMs[0], t == null ? Long.MAX_VALUE : t.dueMs[0]);
    }

    private void visitAgent(FleetState.RuleInput a, boolean lead, Instant now, long pass, List<Rule> silenceRules,
                            List<Rule> trendRules, boolean changed) {
        String id = a.id();
        if (lead) {
            PerAgent s = evaluator(silence, id, silenceRules, changed);
            s.pass[0] = pass;
            s.dueMs[0] = Long.MAX_VALUE; // never heard nor enrolled: nothing to count from until that changes
            // Silent since it was last heard (here or on another node), or since it enrolled if it never connected.
            if (a.heard() != null) {
                double silent = Math.max(0, Duration.between(a.heard(), now).toMillis() / (double) interval.toMillis());
                boolean fine = fine(silenceRules, silent);
                // An agent heard lately whose evaluator is settled is skipped: the usual case.
                if (!(fine && s.settled[0])) {
                    emit(id, s.evaluator.observe(SILENT_INTERVALS, "", silent));
                    emit(id, s.evaluator.tick());
                    s.settled[0] = fine && s.evaluator.active().isEmpty();
                }
                // Until it is heard again its silence only grows: the next visit is when it crosses a threshold it has
                // not crossed yet, or when the evaluator has something to time (a hold, a stale time); each second
                // while a fault is pending. Raised and still silent, nothing changes until it is heard (a change).
                s.dueMs[0] = Math.min(nextTick(s.evaluator, now), crossing(silenceRules, a.heard(), silent));
            }
        }
        boolean nowhere = !a.connected();
        if (!(a.here() || nowhere && lead)) {
            trends.remove(id); // connected to another node, which runs its trend rules
            return;
        }
        PerAgent p = trends.get(id);
        if (p == null && trendRules.isEmpty()) {
            // No trend rule: no evaluator (a new one would adopt nothing and watch nothing).
            return;
        }
        p = evaluator(trends, id, trendRules, changed);
        p.pass[0] = pass;
        FaultEvaluator ev = p.evaluator;
        if (a.sampleTimeMs() != 0 && a.sampleTimeMs() != p.lastSample[0]) {
            p.lastSample[0] = a.sampleTimeMs();
            for (int i = 0; i < a.values(); i++) {
                emit(id, ev.observe(a.metric(i), a.resource(i), a.value(i)));
            }
        }
        emit(id, ev.tick());
        p.dueMs[0] = nextTick(ev, now);
    }

    /** When {@code ev} next needs a tick: its quiet time, or now when the next tick must look. */
    private static long nextTick(FaultEvaluator ev, Instant now) {
        long quiet = ev.quietUntilMs();
        return quiet == Long.MIN_VALUE ? now.toEpochMilli() : quiet;
    }

    /**
     * The earliest time at which the silence of an agent last heard at {@code heard}, {@code silent} intervals now,
     * crosses a threshold (or recover threshold) of {@code ruleSet} that it has not crossed yet: for rules that
     * compare with {@code >} or {@code >=}, as the silence only grows, rounded down to the millisecond so that the
     * visit is never late; {@link Long#MAX_VALUE} if it crossed them all. Any other comparison could change at any
     * time: {@link Long#MIN_VALUE} (every pass).
     */
    private long crossing(List<Rule> ruleSet, Instant heard, double silent) {
        long at = Long.MAX_VALUE;
        for (Rule r : ruleSet) {
            if (r.comparison() != Comparison.ABOVE && r.comparison() != Comparison.AT_LEAST) {
                return Long.MIN_VALUE;
            }
            at = Math.min(at, Math.min(crossing(r, r.threshold(), heard, silent), crossing(r, r.recoverThreshold(), heard, silent)));
        }
        return at;
    }

    /** When the silence reaches {@code threshold} of {@code r}, or {@link Long#MAX_VALUE} if it is past it already. */
    private long crossing(Rule r, double threshold, Instant heard, double silent) {
        return r.comparison().test(silent, threshold) ? Long.MAX_VALUE
                : heard.toEpochMilli() + (long) Math.floor(Math.max(0, threshold) * interval.toMillis());
    }

    /** Whether no rule of {@code ruleSet} finds {@code value} bad, and each finds it recovered. */
    private static boolean fine(List<Rule> ruleSet, double value) {
        for (Rule r : ruleSet) {
            if (r.comparison().test(value, r.threshold()) || r.comparison().test(value, r.recoverThreshold())) {
                return false;
            }
        }
        return true;
    }

    /** The agent's evaluator in {@code map}, made (adopting the faults the store holds raised) if it has none. */
    private PerAgent evaluator(Map<String, PerAgent> map, String id, List<Rule> ruleSet, boolean changed) {
        PerAgent p = map.get(id);
        if (p == null) {
            p = new PerAgent(new FaultEvaluator(clock), new long[1], new long[1], new boolean[1], new long[] {Long.MAX_VALUE});
            p.evaluator.setRules(ruleSet);
            for (String[] f : activeFaults.apply(id)) {
                p.evaluator.adopt(f[0], f[1]);
            }
            map.put(id, p);
        } else if (changed) {
            p.settled[0] = false;
            emit(id, p.evaluator.setRules(ruleSet));
        }
        return p;
    }

    private void emit(String agentId, List<Transition> transitions) {
        for (Transition t : transitions) {
            sink.accept(agentId, t);
        }
    }
}

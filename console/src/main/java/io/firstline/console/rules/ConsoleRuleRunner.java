package io.firstline.console.rules;

import io.firstline.console.fleet.FleetState;
import io.firstline.rules.FaultEvaluator;
import io.firstline.rules.Rule;
import io.firstline.rules.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.List;
import java.util.Map;
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
     * An agent's evaluator, the time of the last sample it saw (ms), the pass that last visited it, and whether it
     * is settled: every rule found the last value it saw fine and recovered, and no fault is raised, so another
     * such value changes nothing.
     */
    private record PerAgent(FaultEvaluator evaluator, long[] lastSample, long[] pass, boolean[] settled) {
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
    private String rulesVersion = "";
    private long passes;

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
     * One pass over every known agent. Called from one thread. It reads only
     * what the rules need ({@link FleetState#forEachRuleInput}): when each
     * agent was last heard, where it is connected, and the values of a sample
     * it has not seen yet that a trend rule watches.
     */
    public void evaluate() {
        RuleFile file = rules.current();
        List<Rule> silenceRules = file.consoleRules().stream().filter(r -> r.metric().equals(SILENT_INTERVALS)).toList();
        List<Rule> trendRules = file.consoleRules().stream().filter(r -> !r.metric().equals(SILENT_INTERVALS)).toList();
        boolean changed = !file.version().equals(rulesVersion);
        rulesVersion = file.version();
        boolean lead = leader.getAsBoolean();
        Instant now = clock.instant();
        Set<String> watched = new HashSet<>();
        trendRules.forEach(r -> watched.add(r.metric()));
        long pass = ++passes;
        fleet.forEachRuleInput(new FleetState.RuleVisitor() {
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
                visitAgent(a, lead, now, pass, silenceRules, trendRules, changed);
            }
        });
        silence.values().removeIf(p -> p.pass[0] != pass);
        trends.values().removeIf(p -> p.pass[0] != pass);
    }

    private void visitAgent(FleetState.RuleInput a, boolean lead, Instant now, long pass, List<Rule> silenceRules,
                            List<Rule> trendRules, boolean changed) {
        String id = a.id();
        if (lead) {
            PerAgent s = evaluator(silence, id, silenceRules, changed);
            s.pass[0] = pass;
            // Silent since it was last heard (here or on another node), or since it enrolled if it never connected.
            if (a.heard() != null) {
                double silent = Math.max(0, Duration.between(a.heard(), now).toMillis() / (double) interval.toMillis());
                boolean fine = fine(silenceRules, silent);
                // An agent heard lately whose evaluator is settled is skipped: the usual case, once a second per agent.
                if (!(fine && s.settled[0])) {
                    emit(id, s.evaluator.observe(SILENT_INTERVALS, "", silent));
                    emit(id, s.evaluator.tick());
                    s.settled[0] = fine && s.evaluator.active().isEmpty();
                }
            }
        }
        boolean nowhere = !a.connected();
        if (!(a.here() || nowhere && lead)) {
            return; // dropped from the trends (and, off the lease, from the silence) at the end of the pass
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
            p = new PerAgent(new FaultEvaluator(clock), new long[1], new long[1], new boolean[1]);
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

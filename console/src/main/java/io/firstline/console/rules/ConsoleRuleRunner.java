package io.firstline.console.rules;

import io.firstline.console.fleet.AgentSnapshot;
import io.firstline.console.fleet.FleetState;
import io.firstline.rules.FaultEvaluator;
import io.firstline.rules.Rule;
import io.firstline.rules.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
 */
public final class ConsoleRuleRunner implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleRuleRunner.class);
    public static final String SILENT_INTERVALS = "agent.silent_intervals";

    private record PerAgent(FaultEvaluator evaluator, Instant[] lastSample) {
    }

    private final FleetState fleet;
    private final RulesService rules;
    private final Clock clock;
    private final Duration interval;
    private final Function<String, List<String[]>> activeFaults;
    private final BiConsumer<String, Transition> sink;
    private final Map<String, PerAgent> agents = new HashMap<>();
    private String rulesVersion = "";

    /**
     * @param activeFaults for an agent id, the (rule id, resource) pairs the store holds raised
     * @param sink         receives (agent id, transition)
     */
    public ConsoleRuleRunner(FleetState fleet, RulesService rules, Clock clock, Duration interval,
                             Function<String, List<String[]>> activeFaults, BiConsumer<String, Transition> sink) {
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

    /** One pass over every known agent. Called from one thread. */
    public void evaluate() {
        RuleFile file = rules.current();
        List<Rule> consoleRules = file.consoleRules();
        boolean changed = !file.version().equals(rulesVersion);
        rulesVersion = file.version();
        Instant now = clock.instant();
        for (AgentSnapshot a : fleet.list()) {
            PerAgent p = agents.get(a.id());
            if (p == null) {
                p = new PerAgent(new FaultEvaluator(clock), new Instant[1]);
                p.evaluator.setRules(consoleRules);
                for (String[] f : activeFaults.apply(a.id())) {
                    p.evaluator.adopt(f[0], f[1]);
                }
                agents.put(a.id(), p);
            } else if (changed) {
                emit(a.id(), p.evaluator.setRules(consoleRules));
            }
            FaultEvaluator ev = p.evaluator;
            // Silent since it was last heard, or since it enrolled if it never connected; a console restart changes neither.
            Instant heard = a.lastSeen() != null ? a.lastSeen() : a.knownSince();
            if (heard != null) {
                double silent = Duration.between(heard, now).toMillis() / (double) interval.toMillis();
                emit(a.id(), ev.observe(SILENT_INTERVALS, "", Math.max(0, silent)));
            }
            if (a.sampleTime() != null && !a.sampleTime().equals(p.lastSample[0])) {
                p.lastSample[0] = a.sampleTime();
                for (AgentSnapshot.Value v : a.values()) {
                    if (ev.watches(v.metric())) {
                        emit(a.id(), ev.observe(v.metric(), v.resource(), v.value()));
                    }
                }
            }
            emit(a.id(), ev.tick());
        }
    }

    private void emit(String agentId, List<Transition> transitions) {
        for (Transition t : transitions) {
            sink.accept(agentId, t);
        }
    }
}

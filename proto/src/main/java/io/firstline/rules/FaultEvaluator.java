package io.firstline.rules;

import io.firstline.rules.SeriesState.Phase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a stream of metric values into fault transitions, per rule and
 * resource:
 *
 * <pre>
 *   OK --bad--> PENDING --bad for `for`--> FIRING (raised)
 *   PENDING --good--> OK
 *   FIRING --recovered--> RECOVERING --recovered for `recover.for`--> OK (cleared)
 *   RECOVERING --not recovered--> FIRING
 * </pre>
 *
 * "Bad" is the rule's comparison against its threshold; "recovered" is the
 * comparison against the recovery threshold being false (hysteresis). Flap
 * damping lengthens the recovery hold of a series that keeps re-raising.
 * {@link #tick} fires transitions whose duration passed between values.
 *
 * <p>Event rules ({@link Rule.Kind#EVENT}) have no values, only events
 * ({@link #event}): the first matching event raises at once (FIRING), each
 * further one while raised is a {@link Transition.Type#REPEATED} with the
 * running count, and {@link #tick} clears the fault once no event came for
 * the rule's quiet period ({@code recover.for}), with reason "quiet".
 * Thread-safe; each agent (and the console per agent) has its own instance.
 */
public final class FaultEvaluator {
    private record Key(String ruleId, String resource) {
    }

    /** A raised fault as the evaluator holds it. */
    public record Active(String ruleId, String resource, double value, Instant since) {
    }

    private final Clock clock;
    private final Map<Key, SeriesState> states = new HashMap<>();
    private Map<String, Rule> rules = Map.of();
    private Map<String, List<Rule>> byMetric = Map.of();
    /**
     * No transition can come due before this (epoch ms), so {@link #tick}
     * has nothing to do until then; {@link Long#MIN_VALUE}: not known, look.
     * Any change of state makes it unknown; a tick that looks works it out.
     */
    private long quietUntilMs = Long.MIN_VALUE;

    public FaultEvaluator(Clock clock) {
        this.clock = clock;
    }

    /**
     * Replaces the rules. Series of rules that still exist keep their state
     * (a reload does not re-raise); raised faults of removed rules clear.
     */
    public synchronized List<Transition> setRules(List<Rule> newRules) {
        quietUntilMs = Long.MIN_VALUE;
        Map<String, Rule> byId = new LinkedHashMap<>();
        Map<String, List<Rule>> metricIndex = new HashMap<>();
        for (Rule r : newRules) {
            if (byId.put(r.id(), r) != null) {
                throw new IllegalArgumentException("rule id used twice: " + r.id());
            }
            metricIndex.computeIfAbsent(r.metric(), m -> new ArrayList<>()).add(r);
        }
        List<Transition> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Iterator<Map.Entry<Key, SeriesState>> it = states.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, SeriesState> e = it.next();
            if (!byId.containsKey(e.getKey().ruleId())) {
                if (e.getValue().active()) {
                    out.add(new Transition(Transition.Type.CLEARED, rules.get(e.getKey().ruleId()), e.getKey().resource(),
                            e.getValue().lastValue, now, now, "rule removed"));
                }
                it.remove();
            }
        }
        rules = byId;
        byMetric = metricIndex;
        return out;
    }

    public synchronized List<Rule> rules() {
        return List.copyOf(rules.values());
    }

    /** True when some rule watches {@code metric} (or, for event rules, events of that type). */
    public synchronized boolean watches(String metric) {
        return byMetric.containsKey(metric);
    }

    /** The metrics that threshold rules watch and whose {@code for} is shorter than {@code than}. */
    public synchronized java.util.Set<String> metricsNeededWithin(Duration than) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Rule r : rules.values()) {
            if (r.kind() != Rule.Kind.EVENT && r.forDuration().compareTo(than) < 0) {
                out.add(r.metric());
            }
        }
        return out;
    }

    /**
     * Takes a fault that another party holds raised (the console, for an agent
     * that restarted) as raised here, so that it clears if the condition is
     * gone. A series this evaluator already knows is left alone: its own
     * state is newer than the other party's, whose view catches up from the
     * events still on their way.
     */
    public synchronized void adopt(String ruleId, String resource) {
        quietUntilMs = Long.MIN_VALUE;
        if (!rules.containsKey(ruleId) || states.containsKey(new Key(ruleId, resource))) {
            return;
        }
        SeriesState s = new SeriesState();
        Instant now = clock.instant();
        s.phase = Phase.FIRING;
        s.firingSince = now;
        s.lastSeen = now;
        states.put(new Key(ruleId, resource), s);
    }

    /** One value of {@code metric} for {@code resource}; returns the transitions it causes. */
    public synchronized List<Transition> observe(String metric, String resource, double value) {
        quietUntilMs = Long.MIN_VALUE;
        List<Rule> watching = byMetric.get(metric);
        if (watching == null || !Double.isFinite(value)) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Transition> out = new ArrayList<>(0);
        for (Rule r : watching) {
            if (r.kind() == Rule.Kind.EVENT || !r.matchesResource(resource)) {
                continue;
            }
            SeriesState s = states.computeIfAbsent(new Key(r.id(), resource), k -> new SeriesState());
            double v = value;
            if (r.kind() == Rule.Kind.TREND) {
                if (s.trend == null) {
                    s.trend = new Trend();
                }
                s.trend.add(now, value, r.window());
                v = s.trend.predict(now, r.horizon(), r.window());
                s.lastSeen = now;
                if (Double.isNaN(v)) {
                    continue;
                }
            }
            s.lastValue = v;
            s.lastSeen = now;
            step(r, resource, s, now, out);
        }
        return out;
    }

    /**
     * One typed event (e.g. {@code oom_kill} of process {@code java}); returns the transitions it causes on the
     * event rules of that type whose resource glob and field globs match.
     */
    public synchronized List<Transition> event(String type, String resource, Map<String, String> fields) {
        quietUntilMs = Long.MIN_VALUE;
        List<Rule> watching = byMetric.get(type);
        if (watching == null) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Transition> out = new ArrayList<>(1);
        for (Rule r : watching) {
            if (r.kind() != Rule.Kind.EVENT || !r.matchesResource(resource) || !r.matchesFields(fields)) {
                continue;
            }
            SeriesState s = states.computeIfAbsent(new Key(r.id(), resource), k -> new SeriesState());
            s.lastSeen = now;
            if (s.active()) {
                s.lastValue = ++s.occurrences;
                out.add(new Transition(Transition.Type.REPEATED, r, resource, s.lastValue, s.firingSince, now, "", fields));
            } else {
                s.phase = Phase.FIRING;
                s.since = now;
                s.firingSince = now;
                s.occurrences = 1;
                s.lastValue = 1;
                out.add(new Transition(Transition.Type.RAISED, r, resource, 1, now, now, "", fields));
            }
        }
        return out;
    }

    /** Fires the transitions whose duration has passed since the last value, and clears stale faults. */
    public synchronized List<Transition> tick() {
        if (clock.millis() < quietUntilMs) {
            return List.of(); // the usual tick of a settled evaluator: nothing pending, recovering or about to go stale
        }
        Instant now = clock.instant();
        List<Transition> out = new ArrayList<>(0);
        for (Iterator<Map.Entry<Key, SeriesState>> it = states.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, SeriesState> e = it.next();
            Rule r = rules.get(e.getKey().ruleId());
            SeriesState s = e.getValue();
            String resource = e.getKey().resource();
            if (r.kind() == Rule.Kind.EVENT) {
                if (!Duration.between(s.lastSeen, now).minus(r.recoverFor()).isNegative()) {
                    if (s.active()) {
                        out.add(new Transition(Transition.Type.CLEARED, r, resource, s.lastValue, s.lastSeen, now, "quiet"));
                    }
                    it.remove(); // events of many processes must not pile up state
                }
                continue;
            }
            if (s.active() && (r.staleAfter().compareTo(Duration.ZERO) > 0) && s.lastSeen != null
                    && !Duration.between(s.lastSeen, now).minus(r.staleAfter()).isNegative()) {
                s.phase = Phase.OK;
                out.add(new Transition(Transition.Type.CLEARED, r, resource, s.lastValue, s.lastSeen, now, "no data"));
                continue;
            }
            if (s.phase == Phase.PENDING) {
                checkPending(r, resource, s, now, out);
            } else if (s.phase == Phase.RECOVERING) {
                checkRecovering(r, resource, s, now, out);
            }
        }
        quietUntilMs = quietUntil(now);
        return out;
    }

    /**
     * The earliest moment a tick could find something to do: an event
     * fault's quiet period or a raised fault's stale time running out; now
     * while a series is pending or recovering (their holds are checked each
     * tick); never when nothing is held.
     */
    private long quietUntil(Instant now) {
        long until = Long.MAX_VALUE;
        for (Map.Entry<Key, SeriesState> e : states.entrySet()) {
            Rule r = rules.get(e.getKey().ruleId());
            SeriesState s = e.getValue();
            if (r.kind() == Rule.Kind.EVENT) {
                until = Math.min(until, s.lastSeen.plus(r.recoverFor()).toEpochMilli());
            } else if (s.phase == Phase.PENDING || s.phase == Phase.RECOVERING) {
                return now.toEpochMilli();
            } else if (s.active() && r.staleAfter().compareTo(Duration.ZERO) > 0 && s.lastSeen != null) {
                until = Math.min(until, s.lastSeen.plus(r.staleAfter()).toEpochMilli());
            }
        }
        return until;
    }

    /**
     * The earliest moment (ms since the epoch) a {@link #tick} could find
     * something to do, as the last tick left it: {@link Long#MAX_VALUE} when
     * nothing is held, {@link Long#MIN_VALUE} when the next tick must look
     * (a value, an event or new rules came since, or a series is pending or
     * recovering). A caller that ticks many evaluators can skip one until then.
     */
    public synchronized long quietUntilMs() {
        return quietUntilMs;
    }

    /** The faults raised now. */
    public synchronized List<Active> active() {
        List<Active> out = new ArrayList<>();
        states.forEach((k, s) -> {
            if (s.active()) {
                out.add(new Active(k.ruleId(), k.resource(), s.lastValue, s.firingSince));
            }
        });
        return out;
    }

    private void step(Rule r, String resource, SeriesState s, Instant now, List<Transition> out) {
        boolean bad = r.comparison().test(s.lastValue, r.threshold());
        boolean recovered = !r.comparison().test(s.lastValue, r.recoverThreshold());
        switch (s.phase) {
            case OK -> {
                if (!bad) {
                    s.seenOk = true;
                } else if (s.seenOk || !r.requireOkFirst()) {
                    s.phase = Phase.PENDING;
                    s.since = now;
                    checkPending(r, resource, s, now, out);
                }
            }
            case PENDING -> {
                if (bad) {
                    checkPending(r, resource, s, now, out);
                } else {
                    s.phase = Phase.OK;
                    s.seenOk = true;
                }
            }
            case FIRING -> {
                if (recovered) {
                    s.phase = Phase.RECOVERING;
                    s.since = now;
                    checkRecovering(r, resource, s, now, out);
                }
            }
            case RECOVERING -> {
                if (recovered) {
                    checkRecovering(r, resource, s, now, out);
                } else {
                    s.phase = Phase.FIRING;
                }
            }
        }
    }

    private static void checkPending(Rule r, String resource, SeriesState s, Instant now, List<Transition> out) {
        if (Duration.between(s.since, now).compareTo(r.forDuration()) >= 0) {
            s.phase = Phase.FIRING;
            s.firingSince = now;
            s.raises.addLast(now);
            out.add(new Transition(Transition.Type.RAISED, r, resource, s.lastValue, s.since, now, ""));
        }
    }

    private static void checkRecovering(Rule r, String resource, SeriesState s, Instant now, List<Transition> out) {
        if (Duration.between(s.since, now).compareTo(recoverHold(r, s, now)) >= 0) {
            s.phase = Phase.OK;
            s.seenOk = true;
            out.add(new Transition(Transition.Type.CLEARED, r, resource, s.lastValue, s.since, now, "recovered"));
        }
    }

    /** The recovery hold, lengthened to the flap hold while the series is flapping. */
    static Duration recoverHold(Rule r, SeriesState s, Instant now) {
        if (!r.flap().enabled()) {
            return r.recoverFor();
        }
        Instant windowStart = now.minus(r.flap().window());
        while (!s.raises.isEmpty() && s.raises.peekFirst().isBefore(windowStart)) {
            s.raises.removeFirst();
        }
        if (s.raises.size() >= r.flap().maxRaises()) {
            return r.flap().hold().compareTo(r.recoverFor()) > 0 ? r.flap().hold() : r.recoverFor();
        }
        return r.recoverFor();
    }
}

package io.firstline.rules;

import java.time.Instant;
import java.util.Map;

/**
 * A fault raised, repeated or cleared by the evaluator.
 *
 * @param value   the value that decided it (for trend rules, the predicted value; for event rules, the number of
 *                events since the raise)
 * @param since   when the condition (or the recovery) began
 * @param at      when the transition happened
 * @param reason  for clears: "recovered", "no data", "rule removed" or (event rules) "quiet"
 * @param details event rules: the fields of the event that caused it; empty otherwise
 */
public record Transition(Type type, Rule rule, String resource, double value, Instant since, Instant at, String reason,
                         Map<String, String> details) {
    /** RAISED and CLEARED for every rule; REPEATED for another event of an event rule that is raised already. */
    public enum Type { RAISED, REPEATED, CLEARED }

    public Transition {
        details = Map.copyOf(details);
    }

    public Transition(Type type, Rule rule, String resource, double value, Instant since, Instant at, String reason) {
        this(type, rule, resource, value, since, at, reason, Map.of());
    }

    public boolean raised() {
        return type == Type.RAISED;
    }
}

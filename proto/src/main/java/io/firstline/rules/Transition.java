package io.firstline.rules;

import java.time.Instant;

/**
 * A fault raised or cleared by the evaluator.
 *
 * @param value  the value that decided it (for trend rules, the predicted value)
 * @param since  when the condition (or the recovery) began
 * @param at     when the transition happened
 * @param reason for clears: "recovered", "no data" or "rule removed"
 */
public record Transition(Type type, Rule rule, String resource, double value, Instant since, Instant at, String reason) {
    public enum Type { RAISED, CLEARED }

    public boolean raised() {
        return type == Type.RAISED;
    }
}

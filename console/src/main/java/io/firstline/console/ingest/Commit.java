package io.firstline.console.ingest;

import java.util.Locale;

/**
 * What committing one sequenced message did. Whatever it is, the message is
 * settled: recorded in the agent's sequence ledger and acknowledged, so the
 * agent never sends it again. Only {@link #APPLIED} changed anything; the
 * refusals are counted in {@code firstline_ingest_refused_total{reason}}
 * (their {@link #label()}), a small fixed set.
 */
public enum Commit {
    /** Applied and durably committed. */
    APPLIED,
    /** Already committed earlier (a replay); applied nothing. */
    DUPLICATE,
    /** A fault event naming a rule that is not in the rule set this agent was sent. */
    UNKNOWN_RULE,
    /** A fault event naming a rule the console evaluates itself (e.g. agent_offline). */
    CONSOLE_RULE,
    /** A fault event whose metric or resource is not the one its rule watches. */
    NOT_THE_RULES_SERIES,
    /** A field out of bounds: too long, control characters, not a finite number, a time far off. */
    INVALID_FIELD;

    /** Whether this is a refusal (acknowledged, not applied, counted by reason). */
    public boolean refused() {
        return this != APPLIED && this != DUPLICATE;
    }

    /** The {@code reason} label of a refusal. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

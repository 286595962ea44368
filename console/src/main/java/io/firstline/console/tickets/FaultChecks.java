package io.firstline.console.tickets;

import io.firstline.wire.KeyValues;
import io.firstline.console.ingest.Commit;
import io.firstline.proto.Envelope;
import io.firstline.proto.FaultCleared;
import io.firstline.proto.FaultRaised;
import io.firstline.proto.FaultRef;
import io.firstline.rules.Rule;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What an agent's fault event may say. An agent raises faults only for the
 * agent-side rules of the rule set it was sent (and clears them for those or
 * for rules of an earlier set), with the rule's metric, a resource the
 * rule's glob matches, and every field within bounds (rule id and texts at
 * most {@value #MAX_TEXT} characters, resource at most {@value #MAX_RESOURCE}
 * and without {@code <} or {@code >}, no control characters, finite
 * numbers, times from 1970 to 9999, at most {@value #MAX_DETAILS} details of
 * at most {@value #MAX_DETAIL_VALUE} characters each and
 * {@value #MAX_DETAILS_TOTAL} in all). Anything else is
 * refused: acknowledged so that the agent does not resend it, never applied,
 * counted by reason.
 */
final class FaultChecks {
    static final int MAX_RESOURCE = 256;
    static final int MAX_TEXT = 128;
    static final int MAX_DETAILS = 32;
    static final int MAX_DETAIL_VALUE = 8192;
    static final int MAX_DETAILS_TOTAL = 32_768;
    /** Agent times must be between the Unix epoch and the year 10000. */
    static final long MAX_TIME_MS = 253_402_300_800_000L;

    private FaultChecks() {
    }

    /**
     * @param consoleRule whether a rule id is one of the console's own rules (heartbeat, trend)
     * @return {@link Commit#APPLIED} when the event may be applied, else the refusal
     */
    static Commit check(Envelope event, SentRules sent, Predicate<String> consoleRule) {
        if (event.hasFaultRaised()) {
            FaultRaised r = event.getFaultRaised();
            Commit fields = fields(r.getFault(), r.getMetric(), r.getRuleSetVersion());
            if (fields != Commit.APPLIED || !Double.isFinite(r.getValue()) || !Double.isFinite(r.getThreshold())
                    || !time(r.getSinceMs()) || !time(r.getRaisedMs()) || !details(KeyValues.toMap(r.getDetailsList()))) {
                return Commit.INVALID_FIELD;
            }
            return rule(r.getFault(), sent.current(r.getFault().getRuleId()), consoleRule, r.getMetric());
        }
        FaultCleared c = event.getFaultCleared();
        Commit fields = fields(c.getFault(), c.getReason(), "");
        if (fields != Commit.APPLIED || Double.isInfinite(c.getValue()) || !time(c.getClearedMs())) {
            return Commit.INVALID_FIELD;
        }
        return rule(c.getFault(), sent.any(c.getFault().getRuleId()), consoleRule, null);
    }

    private static Commit rule(FaultRef f, Optional<Rule> rule, Predicate<String> consoleRule, String metric) {
        if (rule.isEmpty()) {
            return consoleRule.test(f.getRuleId()) ? Commit.CONSOLE_RULE : Commit.UNKNOWN_RULE;
        }
        if (!rule.get().matchesResource(f.getResource()) || metric != null && !metric.equals(rule.get().metric())) {
            return Commit.NOT_THE_RULES_SERIES;
        }
        return Commit.APPLIED;
    }

    private static Commit fields(FaultRef f, String text, String version) {
        boolean ok = text(f.getRuleId(), MAX_TEXT) && !f.getRuleId().isEmpty() && text(f.getResource(), MAX_RESOURCE)
                && f.getResource().chars().noneMatch(ch -> ch == '<' || ch == '>') && text(text, MAX_TEXT) && text(version, MAX_TEXT);
        return ok ? Commit.APPLIED : Commit.INVALID_FIELD;
    }

    /** An event's fields: a few short keys, values no longer than a kernel message, no control characters but tabs. */
    static boolean details(java.util.Map<String, String> details) {
        if (details.size() > MAX_DETAILS) {
            return false;
        }
        long total = 0;
        for (var e : details.entrySet()) {
            total += e.getValue().length();
            if (!text(e.getKey(), MAX_TEXT) || e.getValue().length() > MAX_DETAIL_VALUE
                    || e.getValue().chars().anyMatch(ch -> Character.isISOControl(ch) && ch != '\t')) {
                return false;
            }
        }
        return total <= MAX_DETAILS_TOTAL;
    }

    /** At most {@code max} characters, none of them a control character. */
    static boolean text(String s, int max) {
        return s.length() <= max && s.chars().noneMatch(Character::isISOControl);
    }

    private static boolean time(long ms) {
        return ms >= 0 && ms < MAX_TIME_MS;
    }
}

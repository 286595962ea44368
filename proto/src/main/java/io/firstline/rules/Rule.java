package io.firstline.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One fault rule. A rule watches one metric on every resource its
 * {@code resource} glob matches, so "disk almost full" fires once per file
 * system. See docs/rules.md for the file format.
 *
 * @param kind          threshold rules run on the agent; trend and heartbeat rules on the console
 * @param forDuration   how long the condition must hold before the fault is raised
 * @param recoverThreshold the recovery threshold: the fault clears when {@code comparison} against it is false
 * @param recoverFor    how long recovery must hold before the fault clears
 * @param requireOkFirst raise only after the series has been seen healthy (a change, not a state)
 * @param flap          flap damping, or {@link Flap#NONE}
 * @param staleAfter    a raised fault whose series is not seen this long clears; zero = never
 * @param horizon       trend rules: how far ahead the value is predicted
 * @param window        trend rules: how much history the prediction uses
 * @param match         event rules: globs over the event's fields (all must match); empty for other kinds
 */
public record Rule(String id, Kind kind, String metric, String resource, Comparison comparison, double threshold,
                   Duration forDuration, double recoverThreshold, Duration recoverFor, boolean requireOkFirst,
                   Flap flap, Duration staleAfter, Duration horizon, Duration window, Severity severity, Scope scope,
                   Text text, Map<String, String> match) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** Where and how a rule is evaluated. */
    public enum Kind {
        /** The latest value against a threshold; runs on the agent. */
        THRESHOLD,
        /** The value predicted {@code horizon} ahead by a linear fit over {@code window}; runs on the console. */
        TREND,
        /** The console's own signals about an agent (e.g. {@code agent.silent_intervals}); runs on the console. */
        CONSOLE,
        /**
         * Typed events ({@code metric} is the event type, e.g. {@code oom_kill}); raises at once, counts repeats,
         * clears after {@code recoverFor} without one (the quiet period); runs on the agent.
         */
        EVENT;

        public boolean runsOnAgent() {
            return this == THRESHOLD || this == EVENT;
        }
    }

    /**
     * Flap damping: once a fault has been raised {@code maxRaises} times within
     * {@code window}, it needs {@code hold} of steady recovery to clear, so a
     * flapping condition keeps one ticket open instead of churning.
     */
    public record Flap(Duration window, int maxRaises, Duration hold) {
        public static final Flap NONE = new Flap(Duration.ZERO, 0, Duration.ZERO);

        public boolean enabled() {
            return maxRaises > 0 && (window.compareTo(Duration.ZERO) > 0);
        }
    }

    /** What people read: engineers get title and description, the endpoint's user gets userText. */
    public record Text(String title, String description, String userText, List<String> kbArticles) {
        public static final Text NONE = new Text("", "", "", List.of());

        public Text {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(userText, "userText");
            kbArticles = List.copyOf(kbArticles);
        }
    }

    public Rule {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("rule id must match " + ID + ": " + id);
        }
        Objects.requireNonNull(kind, "kind");
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric is required");
        }
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(comparison, "comparison");
        if (!Double.isFinite(threshold) || !Double.isFinite(recoverThreshold)) {
            throw new IllegalArgumentException("thresholds must be finite numbers");
        }
        requireNotNegative(forDuration, "for");
        requireNotNegative(recoverFor, "recover.for");
        requireNotNegative(staleAfter, "stale_after");
        Objects.requireNonNull(flap, "flap");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(text, "text");
        match = Map.copyOf(match == null ? Map.of() : match);
        if (kind != Kind.EVENT && !match.isEmpty()) {
            throw new IllegalArgumentException("only event rules match event fields");
        }
        if (kind == Kind.EVENT && !ID.matcher(metric).matches()) {
            throw new IllegalArgumentException("event type must match " + ID + ": " + metric);
        }
        if (kind == Kind.EVENT && !(recoverFor.compareTo(Duration.ZERO) > 0)) {
            throw new IllegalArgumentException("an event rule needs a positive quiet period");
        }
        if (kind == Kind.TREND && (!(horizon.compareTo(Duration.ZERO) > 0) || !(window.compareTo(Duration.ZERO) > 0))) {
            throw new IllegalArgumentException("a trend rule needs a positive horizon and window");
        }
        // A recovery threshold on the bad side of the threshold would raise and clear on the same value.
        if (comparison.test(recoverThreshold, threshold) && recoverThreshold != threshold && (comparison == Comparison.ABOVE
                || comparison == Comparison.AT_LEAST || comparison == Comparison.BELOW || comparison == Comparison.AT_MOST)) {
            throw new IllegalArgumentException("recover threshold " + recoverThreshold + " must not be beyond the threshold "
                    + comparison.symbol() + " " + threshold);
        }
    }

    /** A rule that matches no event fields (every kind but {@link Kind#EVENT}, and event rules without {@code match}). */
    public Rule(String id, Kind kind, String metric, String resource, Comparison comparison, double threshold,
                Duration forDuration, double recoverThreshold, Duration recoverFor, boolean requireOkFirst, Flap flap,
                Duration staleAfter, Duration horizon, Duration window, Severity severity, Scope scope, Text text) {
        this(id, kind, metric, resource, comparison, threshold, forDuration, recoverThreshold, recoverFor, requireOkFirst,
                flap, staleAfter, horizon, window, severity, scope, text, Map.of());
    }

    private static void requireNotNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
    }

    /** True when the series' resource matches this rule's glob. */
    public boolean matchesResource(String r) {
        return Glob.matches(resource, r);
    }

    /** Event rules: true when every {@link #match} glob matches the event's field of that name (a missing field is ""). */
    public boolean matchesFields(Map<String, String> fields) {
        for (Map.Entry<String, String> m : match.entrySet()) {
            if (!Glob.matches(m.getValue(), fields.getOrDefault(m.getKey(), ""))) {
                return false;
            }
        }
        return true;
    }
}

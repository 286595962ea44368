package io.firstline.rules;

import java.util.Locale;

/** How urgent a fault is; decides SLA targets and notification routing. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "info", "warning" or "critical" (any case). */
    public static Severity parse(String s) {
        for (Severity v : values()) {
            if (v.label().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("severity must be info, warning or critical, got '" + s + "'");
    }
}

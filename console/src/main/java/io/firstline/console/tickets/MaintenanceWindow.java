package io.firstline.console.tickets;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A period during which faults of matching agents are recorded and ticketed
 * but notify no one. Scope is one agent, a site, or a tag. Nullable: endedAt.
 */
public record MaintenanceWindow(long id, Scope scope, String value, Instant startsAt, Instant endsAt, String reason,
                                String createdBy, Instant endedAt) {
    public enum Scope {
        AGENT, SITE, TAG;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Scope parse(String s) {
            for (Scope v : values()) {
                if (v.label().equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("scope must be agent, site or tag, got '" + s + "'");
        }
    }

    public MaintenanceWindow {
        Objects.requireNonNull(scope, "scope");
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the window needs the " + scope.label() + " it covers");
        }
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("a window must end after it starts");
        }
    }

    /** True when the window is in force at {@code now}. */
    public boolean activeAt(Instant now) {
        Instant end = endedAt != null && endedAt.isBefore(endsAt) ? endedAt : endsAt;
        return !now.isBefore(startsAt) && now.isBefore(end);
    }

    public boolean covers(String agentId, AgentDirectory.AgentFacts facts) {
        return switch (scope) {
            case AGENT -> value.equals(agentId);
            case SITE -> value.equals(facts.site());
            case TAG -> facts.tags().contains(value);
        };
    }
}

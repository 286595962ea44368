package io.firstline.console.tickets;

import io.firstline.rules.Severity;
import java.time.Instant;
import java.util.List;

/**
 * A ticket as stored. {@code faultKey} is agent/rule/resource; at most one
 * live (open or acknowledged) ticket exists per key. Nullable: assignee,
 * previousTicketId, ackedAt, resolvedAt, closedAt. {@code source} is where it
 * came from: {@value #FAULT} or {@value #USER} (a report from the endpoint's user).
 */
public record Ticket(long id, String faultKey, String agentId, String ruleId, String resource, String site,
                     String hostname, Severity severity, TicketState state, String title, String description,
                     String userText, List<String> kbArticles, int escalationLevel, String assignee, int recurrences,
                     Long previousTicketId, boolean faultActive, boolean muted, Instant openedAt, Instant ackedAt,
                     Instant resolvedAt, Instant closedAt, Instant updatedAt, String source) {
    public static final String FAULT = "fault";
    public static final String USER = "user";

    public Ticket {
        kbArticles = List.copyOf(kbArticles);
        java.util.Objects.requireNonNull(source, "source");
    }

    /** A copy with the lifecycle fields replaced (the identity and texts never change). */
    public Ticket with(TicketState newState, int level, String newAssignee, int newRecurrences, boolean active,
                       boolean newMuted, Instant acked, Instant resolved, Instant closed, Instant now) {
        return new Ticket(id, faultKey, agentId, ruleId, resource, site, hostname, severity, newState, title, description,
                userText, kbArticles, level, newAssignee, newRecurrences, previousTicketId, active, newMuted, openedAt,
                acked, resolved, closed, now, source);
    }

    public Ticket withState(TicketState s, Instant now) {
        return with(s, escalationLevel, assignee, recurrences, faultActive, muted, ackedAt, resolvedAt, closedAt, now);
    }
}

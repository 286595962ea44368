package io.firstline.console.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.console.store.Sql;
import io.firstline.console.tickets.Ticket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The durable outbox of notifications: a ticket change and its notification
 * rows commit in the same transaction, and {@link NotificationSender} delivers
 * them later on its own thread, so a slow or dead receiver never slows
 * ticketing.
 */
public final class NotificationOutbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<Notifications> config;

    /** Targets as {@code config} says at the moment of each ticket change (notifications.yaml is reloaded). */
    public NotificationOutbox(Supplier<Notifications> config) {
        this.config = config;
    }

    /** Fixed webhook targets. */
    public NotificationOutbox(List<WebhookTarget> targets) {
        Notifications fixed = Notifications.webhooks(targets);
        this.config = () -> fixed;
    }

    public static NotificationOutbox none() {
        return new NotificationOutbox(List.of());
    }

    public List<NotifyTarget> targets() {
        return config.get().targets();
    }

    /**
     * Queues {@code event} ("opened", "acknowledged", "escalated", "resolved")
     * about {@code t} for every target whose route wants it, inside the
     * caller's transaction.
     */
    public void enqueue(Connection c, Ticket t, String event, Instant now) throws SQLException {
        List<NotifyTarget> targets = config.get().targets().stream().filter(x -> x.route().matches(t, event)).toList();
        if (targets.isEmpty()) {
            return;
        }
        String payload = payload(t, event, now);
        for (NotifyTarget target : targets) {
            Sql.insert(c, "INSERT INTO notification_outbox (ticket_id, target, event, payload, next_attempt_ms, created_at_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", t.id(), target.name(), event, payload, now.toEpochMilli(), now.toEpochMilli());
        }
    }

    /** The generic JSON body: the event and a snapshot of the ticket at that moment. */
    static String payload(Ticket t, String event, Instant now) {
        Map<String, Object> ticket = new LinkedHashMap<>();
        ticket.put("id", t.id());
        ticket.put("faultKey", t.faultKey());
        ticket.put("state", t.state().label());
        ticket.put("severity", t.severity().label());
        ticket.put("title", t.title());
        ticket.put("description", t.description());
        ticket.put("agentId", t.agentId());
        ticket.put("hostname", t.hostname());
        ticket.put("site", t.site());
        ticket.put("ruleId", t.ruleId());
        ticket.put("resource", t.resource());
        ticket.put("escalationLevel", t.escalationLevel());
        ticket.put("assignee", t.assignee());
        ticket.put("recurrences", t.recurrences());
        ticket.put("openedAt", t.openedAt().toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("at", now.toString());
        body.put("ticket", ticket);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

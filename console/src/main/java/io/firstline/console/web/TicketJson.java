package io.firstline.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.tickets.MaintenanceWindow;
import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketEvent;
import io.firstline.console.tickets.UserTickets;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of tickets, their timelines and maintenance windows. */
final class TicketJson {
    private TicketJson() {
    }

    static Map<String, Object> summary(Ticket t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("state", t.state().label());
        m.put("source", t.source());
        m.put("severity", t.severity().label());
        m.put("title", t.title());
        m.put("agentId", t.agentId());
        m.put("hostname", t.hostname());
        m.put("site", t.site());
        m.put("ruleId", t.ruleId());
        m.put("resource", t.resource());
        m.put("faultKey", t.faultKey());
        m.put("faultActive", t.faultActive());
        m.put("escalationLevel", t.escalationLevel());
        m.put("assignee", t.assignee());
        m.put("recurrences", t.recurrences());
        m.put("notificationsHeld", t.muted());
        m.put("openedAt", t.openedAt());
        m.put("acknowledgedAt", t.ackedAt());
        m.put("resolvedAt", t.resolvedAt());
        m.put("closedAt", t.closedAt());
        m.put("updatedAt", t.updatedAt());
        return m;
    }

    static Map<String, Object> detail(Ticket t, List<TicketEvent> timeline) {
        Map<String, Object> m = summary(t);
        m.put("description", t.description());
        m.put("userText", t.userText());
        m.put("kbArticles", t.kbArticles());
        m.put("previousTicketId", t.previousTicketId());
        m.put("timeline", timeline.stream().map(TicketJson::event).toList());
        return m;
    }

    private static Map<String, Object> event(TicketEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.at());
        m.put("kind", e.kind());
        m.put("actor", e.actor());
        try {
            JsonNode detail = Json.MAPPER.readTree(e.detail());
            m.put("detail", detail);
        } catch (IOException x) {
            m.put("detail", e.detail());
        }
        return m;
    }

    /** The report behind a user's ticket: who, when, their words, the snapshot tables, and the probably related tickets. */
    static Map<String, Object> report(UserTickets.Report r, List<Ticket> related) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reportId", r.reportId());
        m.put("reporter", r.reporter());
        m.put("text", r.text());
        m.put("createdAt", r.createdAt());
        m.put("receivedAt", r.receivedAt());
        m.put("tables", r.snapshot().path("tables"));
        m.put("events", r.snapshot().path("events"));
        m.put("probablyRelated", related.stream().map(t -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", t.id());
            x.put("title", t.title());
            x.put("state", t.state().label());
            x.put("severity", t.severity().label());
            return x;
        }).toList());
        return m;
    }

    static Map<String, Object> window(MaintenanceWindow w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("scope", w.scope().label());
        m.put("value", w.value());
        m.put("startsAt", w.startsAt());
        m.put("endsAt", w.endsAt());
        m.put("endedAt", w.endedAt());
        m.put("reason", w.reason());
        m.put("createdBy", w.createdBy());
        return m;
    }
}

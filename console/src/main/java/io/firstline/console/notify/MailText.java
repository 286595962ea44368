package io.firstline.console.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The words of a ticket e-mail: a subject that sorts and filters well, and a plain-text body. */
final class MailText {
    private MailText() {
    }

    /** {@code [Firstline] CRITICAL opened: File system / turned read-only (#42, pc-17)} */
    static String subject(String event, JsonNode t) {
        String host = t.path("hostname").asText();
        String where = "#" + t.path("id").asText() + (host.isEmpty() ? "" : ", " + host);
        return oneLine("[Firstline] " + t.path("severity").asText().toUpperCase(Locale.ROOT) + " " + event + ": "
                + t.path("title").asText() + " (" + where + ")");
    }

    static String body(String event, JsonNode body, String consoleUrl) {
        JsonNode t = body.path("ticket");
        StringBuilder b = new StringBuilder();
        b.append("Ticket #").append(t.path("id").asText()).append(" was ").append(event).append(" at ")
                .append(body.path("at").asText()).append(".\n\n");
        b.append(t.path("title").asText()).append("\n\n");
        String description = t.path("description").asText();
        if (!description.isBlank()) {
            b.append(description.strip()).append("\n\n");
        }
        line(b, "Severity", t.path("severity").asText());
        line(b, "State", t.path("state").asText());
        line(b, "Host", t.path("hostname").asText());
        line(b, "Agent", t.path("agentId").asText());
        line(b, "Site", t.path("site").asText());
        line(b, "Rule", t.path("ruleId").asText());
        line(b, "Resource", t.path("resource").asText());
        line(b, "Assignee", t.path("assignee").asText());
        if (t.path("escalationLevel").asInt() > 0) {
            line(b, "Escalation level", t.path("escalationLevel").asText());
        }
        if (t.path("recurrences").asInt() > 0) {
            line(b, "Recurrences", t.path("recurrences").asText());
        }
        line(b, "Opened", t.path("openedAt").asText());
        if (!consoleUrl.isEmpty()) {
            b.append("\n").append(consoleUrl).append("/tickets?id=").append(t.path("id").asText()).append("\n");
        }
        b.append("\n-- \nFirstline console. This message was sent automatically; change who gets it in notifications.yaml.\n");
        return b.toString();
    }

    private static void line(StringBuilder b, String label, String value) {
        if (value != null && !value.isBlank() && !"null".equals(value)) {
            b.append(label).append(": ").append(oneLine(value)).append('\n');
        }
    }

    /** No line breaks in a header: agent-supplied text must not add headers. */
    static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t\\p{Cntrl}]+", " ").strip();
    }
}

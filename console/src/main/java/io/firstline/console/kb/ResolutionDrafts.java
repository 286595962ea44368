package io.firstline.console.kb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketEvent;
import io.firstline.console.tickets.TicketState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * "Turn into article": a draft article from a resolved ticket, so that what
 * fixed it is written down while it is fresh. The draft takes the rule and
 * its linked articles' tags, the fault's values when it was raised, the
 * engineers' comments and the resolution note; the engineer edits it and
 * publishes it.
 */
public final class ResolutionDrafts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResolutionDrafts() {
    }

    /**
     * @throws KbException CONFLICT when the ticket is not resolved or closed yet
     */
    public static ArticleEdit draft(Ticket t, List<TicketEvent> timeline, String osFamily) {
        if (t.state() != TicketState.RESOLVED && t.state() != TicketState.CLOSED) {
            throw new KbException(KbException.Kind.CONFLICT, "ticket " + t.id() + " is " + t.state().label()
                    + "; resolve it before turning it into an article");
        }
        StringBuilder symptoms = new StringBuilder();
        if (!t.description().isBlank()) {
            symptoms.append(t.description()).append("\n\n");
        }
        symptoms.append("Seen on ticket #").append(t.id()).append(" (").append(t.hostname().isBlank() ? t.agentId() : t.hostname())
                .append(t.resource().isBlank() ? "" : ", " + t.resource()).append("):\n\n");
        List<String> comments = new ArrayList<>();
        String resolution = "";
        for (TicketEvent e : timeline) {
            JsonNode d = detail(e);
            switch (e.kind()) {
                case "raised", "fault_raised", "reopened" -> {
                    if (d.has("metric")) {
                        symptoms.append("- `").append(d.path("metric").asText()).append("` was ").append(d.path("value").asText())
                                .append(" (threshold ").append(d.path("threshold").asText()).append(") at ")
                                .append(e.at()).append('\n');
                    }
                }
                case "commented" -> comments.add("- " + e.actor() + ": " + d.path("text").asText());
                case "resolved" -> {
                    if (!d.path("note").asText().isBlank()) {
                        resolution = d.path("note").asText();
                    }
                }
                default -> {
                }
            }
        }
        String cause = comments.isEmpty() ? "_What caused it? Write it here._"
                : "From the engineers' notes on the ticket:\n\n" + String.join("\n", comments);
        String fix = resolution.isBlank() ? "_What fixed it? Write the steps here, safe checks first._"
                : "What resolved ticket #" + t.id() + ":\n\n" + resolution;
        String os = Suggestions.osOf(osFamily);
        return new ArticleEdit(t.title(), symptoms.toString().strip(), cause, fix, t.userText(),
                t.ruleId().isBlank() ? List.of() : List.of(t.ruleId().replace('_', '-')),
                t.ruleId().isBlank() ? List.of() : List.of(t.ruleId()), os.isEmpty() ? List.of() : List.of(os),
                Article.Status.DRAFT);
    }

    private static JsonNode detail(TicketEvent e) {
        try {
            JsonNode n = JSON.readTree(e.detail());
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException x) {
            return JSON.createObjectNode();
        }
    }
}

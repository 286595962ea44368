package io.firstline.agent.voice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firstline.proto.LocalStatus;
import io.firstline.proto.PendingReport;
import io.firstline.proto.PublicReply;
import io.firstline.proto.TicketNote;
import io.firstline.text.PlainText;
import java.time.Instant;

/**
 * {@code firstline-agent status --json}: the same facts as {@link StatusText}
 * for scripts. Times are ISO-8601; {@code ageSeconds} is how old the status
 * is; {@code source} is "agent" or "cache" (the agent was not running).
 * Strings from the console are stripped as for the terminal.
 */
public final class StatusJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusJson() {
    }

    public static String write(LocalStatus s, boolean fromCache) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("agentId", s.getAgentId());
        root.put("hostname", PlainText.oneLine(s.getHostname()));
        root.put("source", fromCache ? "cache" : "agent");
        root.put("consoleConnected", !fromCache && s.getConsoleConnected());
        if (s.getReceivedMs() == 0) {
            root.putNull("statusReceivedAt");
            root.putNull("ageSeconds");
        } else {
            root.put("statusReceivedAt", Instant.ofEpochMilli(s.getReceivedMs()).toString());
            root.put("ageSeconds", Math.max(0, (s.getNowMs() - s.getReceivedMs()) / 1000));
        }
        ArrayNode tickets = root.putArray("tickets");
        for (TicketNote t : s.getStatus().getTicketsList()) {
            ObjectNode n = tickets.addObject();
            n.put("id", t.getId());
            n.put("source", t.getSource());
            n.put("title", PlainText.oneLine(t.getTitle()));
            n.put("state", t.getState());
            n.put("severity", t.getSeverity());
            n.put("userText", PlainText.strip(t.getUserText()));
            n.put("openedAt", Instant.ofEpochMilli(t.getOpenedMs()).toString());
            if (t.getResolvedMs() == 0) {
                n.putNull("resolvedAt");
            } else {
                n.put("resolvedAt", Instant.ofEpochMilli(t.getResolvedMs()).toString());
            }
            n.put("reporter", PlainText.oneLine(t.getReporter()));
            n.put("reportId", t.getReportId());
            ArrayNode replies = n.putArray("replies");
            for (PublicReply r : t.getRepliesList()) {
                replies.addObject().put("at", Instant.ofEpochMilli(r.getAtMs()).toString())
                        .put("author", PlainText.oneLine(r.getAuthor())).put("text", PlainText.strip(r.getText()));
            }
        }
        ArrayNode pending = root.putArray("pendingReports");
        for (PendingReport p : s.getPendingList()) {
            pending.addObject().put("reportId", p.getReportId()).put("createdAt", Instant.ofEpochMilli(p.getCreatedMs()).toString())
                    .put("title", PlainText.oneLine(p.getTitle()));
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

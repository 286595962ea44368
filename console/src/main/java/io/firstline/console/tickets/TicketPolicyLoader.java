package io.firstline.console.tickets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.firstline.rules.Severity;
import io.firstline.wire.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code DATA/tickets.yaml} (optional; read at start) over the built-in
 * {@link TicketPolicy#defaults()}:
 * <pre>
 * reopen_window: 24h
 * close_after: 24h
 * sla:
 *   critical:
 *     ack: 15m
 *     resolve: 4h
 *     escalate:
 *       - { after: 15m, notify: true }
 *       - { after: 30m, assign: oncall-lead, notify: true }
 * </pre>
 * A severity given replaces that severity's defaults as a whole.
 */
public final class TicketPolicyLoader {
    public static final String FILE_NAME = "tickets.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TicketPolicyLoader() {
    }

    /** @throws IllegalArgumentException naming the file, the setting and the problem */
    public static TicketPolicy load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return TicketPolicy.defaults();
        }
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
    }

    static TicketPolicy parse(String name, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
            throw new IllegalArgumentException(name + ": " + line + "not valid YAML");
        }
        TicketPolicy p = TicketPolicy.defaults();
        if (root == null || root.isNull()) {
            return p;
        }
        known(name, "", root, Set.of("reopen_window", "close_after", "sla"));
        if (root.has("reopen_window")) {
            p = p.withReopenWindow(duration(name, "reopen_window", root.get("reopen_window")));
        }
        if (root.has("close_after")) {
            p = p.withCloseAfter(duration(name, "close_after", root.get("close_after")));
        }
        JsonNode sla = root.path("sla");
        if (root.has("sla") && !sla.isObject()) {
            throw new IllegalArgumentException(name + ": sla must be a mapping of severities");
        }
        for (Iterator<String> it = sla.fieldNames(); it.hasNext(); ) {
            String sev = it.next();
            Severity severity;
            try {
                severity = Severity.parse(sev);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": sla." + sev + ": " + e.getMessage());
            }
            JsonNode s = sla.get(sev);
            String at = "sla." + sev;
            known(name, at + ".", s, Set.of("ack", "resolve", "escalate"));
            List<TicketPolicy.EscalationStep> steps = new ArrayList<>();
            JsonNode esc = s.path("escalate");
            if (s.has("escalate") && !esc.isArray()) {
                throw new IllegalArgumentException(name + ": " + at + ".escalate must be a list of steps");
            }
            Duration last = Duration.ZERO;
            for (int i = 0; i < esc.size(); i++) {
                JsonNode e = esc.get(i);
                String step = at + ".escalate[" + i + "]";
                known(name, step + ".", e, Set.of("after", "assign", "notify"));
                Duration after = duration(name, step + ".after", e.get("after"));
                if (after.compareTo(last) < 0) {
                    throw new IllegalArgumentException(name + ": " + step + ".after: steps must be in time order");
                }
                last = after;
                steps.add(new TicketPolicy.EscalationStep(after, e.path("assign").asText(""), e.path("notify").asBoolean(true)));
            }
            p = p.withSla(severity, new TicketPolicy.Sla(duration(name, at + ".ack", s.get("ack")),
                    duration(name, at + ".resolve", s.get("resolve")), steps));
        }
        return p;
    }

    private static void known(String name, String prefix, JsonNode n, Set<String> fields) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(name + ": " + (prefix.isEmpty() ? "the file" : prefix) + " must be a mapping");
        }
        n.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
                throw new IllegalArgumentException(name + ": unknown setting '" + prefix + f + "' (known: "
                        + String.join(", ", fields.stream().sorted().toList()) + ")");
            }
        });
    }

    private static Duration duration(String name, String setting, JsonNode v) {
        if (v == null || !v.isValueNode()) {
            throw new IllegalArgumentException(name + ": " + setting + " is required (a duration such as 15m)");
        }
        try {
            return Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + setting + ": " + e.getMessage());
        }
    }
}

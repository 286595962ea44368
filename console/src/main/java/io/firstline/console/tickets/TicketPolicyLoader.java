package io.firstline.console.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.config.ConfigFileException;
import io.firstline.console.config.YamlOptions;
import io.firstline.rules.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code DATA/tickets.yaml} (optional; read at start and again when it
 * changes, see {@link io.firstline.console.config.WatchedFile}) over the built-in
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
 * A severity given replaces that severity's defaults as a whole. Every
 * mistake names the file, the line and the option.
 */
public final class TicketPolicyLoader {
    public static final String FILE_NAME = "tickets.yaml";

    private TicketPolicyLoader() {
    }

    /** @throws ConfigFileException naming the file, the line and the option */
    public static TicketPolicy load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return TicketPolicy.defaults();
        }
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
    }

    /** @throws ConfigFileException naming the file, the line and the option */
    public static TicketPolicy parse(String name, String text) {
        YamlOptions.Document doc = YamlOptions.parse(name, text);
        TicketPolicy p = TicketPolicy.defaults();
        if (doc.empty()) {
            return p;
        }
        JsonNode root = doc.root();
        YamlOptions o = doc.options();
        o.known(root, "", Set.of("reopen_window", "close_after", "sla"));
        p = p.withReopenWindow(o.duration(root, "", "reopen_window", p.reopenWindow()));
        p = p.withCloseAfter(o.duration(root, "", "close_after", p.closeAfter()));
        JsonNode sla = root.path("sla");
        if (root.has("sla") && !sla.isObject()) {
            throw o.fail("sla", "must be a mapping of severities (critical, warning, info)");
        }
        for (Iterator<String> it = sla.fieldNames(); it.hasNext(); ) {
            String sev = it.next();
            String at = "sla." + sev;
            Severity severity;
            try {
                severity = Severity.parse(sev);
            } catch (IllegalArgumentException e) {
                throw o.fail(at, "unknown severity '" + sev + "' (known: critical, warning, info)");
            }
            JsonNode s = sla.get(sev);
            o.known(s, at, Set.of("ack", "resolve", "escalate"));
            List<TicketPolicy.EscalationStep> steps = new ArrayList<>();
            JsonNode esc = s.path("escalate");
            if (s.has("escalate") && !esc.isArray()) {
                throw o.fail(at + ".escalate", "must be a list of steps");
            }
            Duration last = Duration.ZERO;
            for (int i = 0; i < esc.size(); i++) {
                JsonNode e = esc.get(i);
                String step = at + ".escalate[" + i + "]";
                o.known(e, step, Set.of("after", "assign", "notify"));
                Duration after = o.duration(e, step, "after", null);
                if (after.compareTo(last) < 0) {
                    throw o.fail(step + ".after", "steps must be in time order");
                }
                last = after;
                String notify = o.text(e, step, "notify", "true");
                if (!notify.equals("true") && !notify.equals("false")) {
                    throw o.fail(step + ".notify", "must be true or false, got '" + notify + "'");
                }
                steps.add(new TicketPolicy.EscalationStep(after, o.text(e, step, "assign", ""), Boolean.parseBoolean(notify)));
            }
            p = p.withSla(severity, new TicketPolicy.Sla(o.duration(s, at, "ack", null), o.duration(s, at, "resolve", null), steps));
        }
        return p;
    }
}

package io.firstline.console.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the webhook targets from {@code DATA/notifications.yaml} (optional;
 * no file means no notifications):
 * <pre>
 * webhooks:
 *   - name: ops
 *     url: https://hooks.example.org/firstline
 *     format: generic            # or pagerduty
 *   - name: pager
 *     url: https://pagerduty.example/v2/enqueue
 *     format: pagerduty
 *     routing_key: R0UT1NGKEY
 * </pre>
 */
public final class NotifyConfig {
    public static final String FILE_NAME = "notifications.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("name", "url", "format", "routing_key");

    private NotifyConfig() {
    }

    /** @throws IllegalArgumentException naming the file and the problem */
    public static List<WebhookTarget> load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
    }

    static List<WebhookTarget> parse(String name, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + ": line " + e.getLocation().getLineNr() + ": not valid YAML: "
                    + e.getOriginalMessage());
        }
        List<WebhookTarget> out = new ArrayList<>();
        if (root == null || root.isNull()) {
            return out;
        }
        JsonNode hooks = root.path("webhooks");
        if (!hooks.isArray()) {
            throw new IllegalArgumentException(name + ": expected 'webhooks:' with a list of targets");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < hooks.size(); i++) {
            JsonNode h = hooks.get(i);
            String where = name + ": webhooks[" + i + "]";
            h.fieldNames().forEachRemaining(f -> {
                if (!FIELDS.contains(f)) {
                    throw new IllegalArgumentException(where + ": unknown field '" + f + "' (known: name, url, format, routing_key)");
                }
            });
            try {
                WebhookTarget t = new WebhookTarget(h.path("name").asText(), URI.create(h.path("url").asText()),
                        format(h.path("format").asText("generic")),
                        h.path("routing_key").asText(""));
                if (!names.add(t.name())) {
                    throw new IllegalArgumentException("name '" + t.name() + "' is used twice");
                }
                out.add(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** The format named in the file; the error lists the allowed names, not the enum's class. */
    private static WebhookTarget.Format format(String text) {
        for (WebhookTarget.Format f : WebhookTarget.Format.values()) {
            if (f.name().equalsIgnoreCase(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("format must be one of " + java.util.Arrays.stream(WebhookTarget.Format.values())
                .map(f -> f.name().toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.joining(", "))
                + ", got '" + text + "'");
    }
}

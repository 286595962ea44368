package io.firstline.console.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.firstline.wire.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading one YAML configuration file option by option, so that every
 * problem becomes a {@link ConfigFileException} naming the file, the line
 * and the option's path ({@code email[0].to}).
 */
public final class YamlOptions {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final String file;
    private final LineIndex lines;

    private YamlOptions(String file, LineIndex lines) {
        this.file = file;
        this.lines = lines;
    }

    /** A parsed document and the options reader for it. */
    public record Document(JsonNode root, YamlOptions options) {
        /** True for an empty file (or one with only comments). */
        public boolean empty() {
            return root == null || root.isNull() || root.isMissingNode();
        }
    }

    /** @throws ConfigFileException with the line when {@code text} is not YAML, or is not a mapping */
    public static Document parse(String file, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String why = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("").strip();
            throw new ConfigFileException(file, line, "", "not valid YAML: " + why);
        }
        YamlOptions o = new YamlOptions(file, LineIndex.of(text));
        if (root != null && !root.isNull() && !root.isMissingNode() && !root.isObject()) {
            throw o.fail("", "the file must be a mapping of options");
        }
        return new Document(root, o);
    }

    public String file() {
        return file;
    }

    /** The error for the option at {@code path}, on its line. */
    public ConfigFileException fail(String path, String problem) {
        return new ConfigFileException(file, path.isEmpty() ? 0 : lines.line(path), path, problem);
    }

    public static String at(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    /** Refuses fields outside {@code known}; {@code node} must be a mapping. */
    public void known(JsonNode node, String path, Set<String> known) {
        if (!node.isObject()) {
            throw fail(path, "must be a mapping (known options: " + String.join(", ", new TreeSet<>(known)) + ")");
        }
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw fail(at(path, f), "unknown option (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    /** A scalar as text; {@code fallback} when absent; required when {@code fallback} is null. */
    public String text(JsonNode parent, String path, String field, String fallback) {
        JsonNode v = parent.get(field);
        String p = at(path, field);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                throw fail(p, "is required");
            }
            return fallback;
        }
        if (!v.isValueNode()) {
            throw fail(p, "must be a single value, not a list or mapping");
        }
        return v.asText();
    }

    public int integer(JsonNode parent, String path, String field, int fallback, int min, int max) {
        JsonNode v = parent.get(field);
        String p = at(path, field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw fail(p, "must be a whole number from " + min + " to " + max + ", got '" + v.asText() + "'");
        }
        int n = v.asInt();
        if (n < min || n > max) {
            throw fail(p, "must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    public Duration duration(JsonNode parent, String path, String field, Duration fallback) {
        JsonNode v = parent.get(field);
        String p = at(path, field);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                throw fail(p, "is required (a duration such as 15m)");
            }
            return fallback;
        }
        if (!v.isValueNode()) {
            throw fail(p, "must be a duration such as 15m");
        }
        try {
            return Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw fail(p, e.getMessage());
        }
    }

    /** A list of scalars (a single scalar counts as a list of one); empty when absent. */
    public List<String> list(JsonNode parent, String path, String field) {
        JsonNode v = parent.get(field);
        String p = at(path, field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isValueNode()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw fail(p, "must be a list");
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isValueNode() || v.get(i).isNull()) {
                throw fail(p + "[" + i + "]", "must be a single value");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }
}

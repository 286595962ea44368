package io.firstline.agent.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The table that classifies kernel log lines into typed events, kept as data
 * ({@code kernel-patterns.txt} next to this class; docs/events.md). One entry a
 * line, first match wins:
 *
 * <pre>
 *   # comment
 *   TYPE  RESOURCE  REGEX
 *   oom_kill  process  ^Out of memory: Killed process (?&lt;pid&gt;\d+) \((?&lt;process&gt;[^)]*)\)
 * </pre>
 *
 * TYPE is lower_snake_case; RESOURCE names the regex group that holds the
 * event's resource, or {@code -} for the host as a whole; every named group
 * becomes a field of the event. A table with a broken entry is refused as a
 * whole, naming the file, line and entry, so the agent does not start with
 * half its patterns.
 */
public final class KernelPatterns {
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");
    /** Longer field values are cut: fields travel to the console and into tickets. */
    static final int MAX_FIELD = 256;

    /** One entry of the table. */
    record Entry(int line, String type, String resourceGroup, Pattern regex, List<String> groups) {
    }

    private final List<Entry> entries;

    private KernelPatterns(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The table shipped with the agent (read once). */
    public static KernelPatterns builtIn() {
        return BuiltIn.TABLE;
    }

    private static final class BuiltIn {
        static final KernelPatterns TABLE = readBuiltIn();
    }

    private static KernelPatterns readBuiltIn() {
        try (InputStream in = KernelPatterns.class.getResourceAsStream("kernel-patterns.txt")) {
            if (in == null) {
                throw new IllegalStateException("kernel-patterns.txt missing from the agent jar");
            }
            return parse("kernel-patterns.txt (built in)", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in kernel patterns", e);
        }
    }

    /**
     * A table from a file.
     *
     * @throws IllegalArgumentException naming the file and entry when it cannot be read or is not valid
     */
    public static KernelPatterns load(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 1024 * 1024) {
                throw new IllegalArgumentException(file + ": the kernel pattern table must be a regular file of at most 1 MiB");
            }
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the kernel pattern table: " + e.getMessage());
        }
    }

    /**
     * Parses a table.
     *
     * @throws IllegalArgumentException "FILE line N (entry TYPE): problem"
     */
    public static KernelPatterns parse(String file, String text) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            String where = file + " line " + (i + 1) + " (entry '" + parts[0] + "')";
            if (parts.length < 3) {
                throw new IllegalArgumentException(where + ": expected TYPE RESOURCE REGEX");
            }
            if (!TYPE.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException(where + ": the type must be lower_snake_case, e.g. oom_kill");
            }
            Pattern regex;
            try {
                regex = Pattern.compile(parts[2]);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + ": not a valid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
            Set<String> groups = new LinkedHashSet<>();
            Matcher g = GROUP.matcher(parts[2]);
            while (g.find()) {
                groups.add(g.group(1));
            }
            if (groups.contains("line")) {
                throw new IllegalArgumentException(where + ": 'line' is reserved for the whole kernel line");
            }
            if (!parts[1].equals("-") && !groups.contains(parts[1])) {
                throw new IllegalArgumentException(where + ": the resource '" + parts[1]
                        + "' is not a named group of the regex (named groups: " + groups + "; use - for none)");
            }
            entries.add(new Entry(i + 1, parts[0], parts[1], regex, List.copyOf(groups)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(file + ": the kernel pattern table has no entries");
        }
        return new KernelPatterns(entries);
    }

    /** The event a kernel message is, by the first entry that matches it; empty for ordinary messages. */
    public Optional<KernelEvent> classify(String message) {
        for (Entry e : entries) {
            Matcher m = e.regex().matcher(message);
            if (!m.find()) {
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (String g : e.groups()) {
                String v = m.group(g);
                if (v != null) {
                    fields.put(g, cut(v));
                }
            }
            fields.put("line", cut(message));
            // A resource names a ticket; the console refuses markup characters in it, so a process called "<x>" is "(x)".
            String resource = e.resourceGroup().equals("-") ? "" : fields.getOrDefault(e.resourceGroup(), "")
                    .replace('<', '(').replace('>', ')');
            return Optional.of(new KernelEvent(e.type(), resource, fields));
        }
        return Optional.empty();
    }

    /** The event types this table can produce. */
    public Set<String> types() {
        Set<String> out = new LinkedHashSet<>();
        entries.forEach(e -> out.add(e.type()));
        return out;
    }

    private static String cut(String s) {
        return s.length() <= MAX_FIELD ? s : s.substring(0, MAX_FIELD);
    }
}

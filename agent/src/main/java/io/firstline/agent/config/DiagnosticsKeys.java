package io.firstline.agent.config;

import io.firstline.agent.diagnose.DiagnosticsConfig;
import io.firstline.diagnostics.Action;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code diagnostics.*} keys of the agent's config file, each checked as
 * it is read (an IllegalArgumentException says what is wrong; the loader adds
 * file, line and key). Keys not given keep their defaults
 * ({@link DiagnosticsConfig#defaults()}).
 */
final class DiagnosticsKeys {
    private static final Pattern LOG_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,14}");

    private Boolean enabled;
    private Set<String> actions;
    private Map<String, String> logs;
    private List<String> roots;
    private List<String> interfaces;

    void set(String key, String value) {
        switch (key) {
            case "diagnostics.enabled" -> enabled = bool(value);
            case "diagnostics.actions" -> actions = actions(value);
            case "diagnostics.logs" -> logs = logs(value);
            case "diagnostics.disk_roots" -> roots = roots(value);
            case "diagnostics.capture_interfaces" -> interfaces = interfaces(value);
            default -> throw new IllegalArgumentException("unknown key");
        }
    }

    DiagnosticsConfig build() {
        DiagnosticsConfig d = DiagnosticsConfig.defaults();
        if (Boolean.FALSE.equals(enabled)) {
            return DiagnosticsConfig.off();
        }
        return new DiagnosticsConfig(true, actions == null ? d.actions() : actions, logs == null ? d.logs() : logs,
                roots == null ? d.diskRoots() : roots, interfaces == null ? d.captureInterfaces() : interfaces);
    }

    private static boolean bool(String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + v + "'");
        };
    }

    private static Set<String> actions(String v) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : list(v)) {
            if (a.equals("all")) {
                out.addAll(Action.names());
            } else if (Action.of(a).isPresent()) {
                out.add(a);
            } else {
                throw new IllegalArgumentException("unknown action '" + a + "' (known: all, " + String.join(", ", Action.names()) + ")");
            }
        }
        return out;
    }

    /** {@code NAME:/absolute/path} or {@code NAME:journal}, comma-separated. */
    private static Map<String, String> logs(String v) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : list(v)) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + entry + "' must be NAME:/absolute/path or NAME:journal");
            }
            String name = entry.substring(0, colon).strip();
            String where = entry.substring(colon + 1).strip();
            if (!LOG_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("log name '" + name + "' must be lower-case letters, digits, '_', '.', '-' (at most 32)");
            }
            if (!where.equals(DiagnosticsConfig.JOURNAL) && (!where.startsWith("/") || where.contains("/../") || where.endsWith("/..")
                    || !Path.of(where).normalize().toString().equals(where))) {
                throw new IllegalArgumentException("log '" + name + "' must name an absolute, normalised path or 'journal', got '" + where + "'");
            }
            if (out.put(name, where) != null) {
                throw new IllegalArgumentException("log '" + name + "' is named twice");
            }
        }
        return out;
    }

    private static List<String> roots(String v) {
        List<String> out = new ArrayList<>();
        for (String r : list(v)) {
            if (!r.startsWith("/") || !Path.of(r).normalize().toString().equals(r)) {
                throw new IllegalArgumentException("'" + r + "' must be an absolute, normalised directory");
            }
            out.add(r);
        }
        return out;
    }

    private static List<String> interfaces(String v) {
        List<String> out = list(v);
        for (String i : out) {
            if (!INTERFACE.matcher(i).matches()) {
                throw new IllegalArgumentException("'" + i + "' is not an interface name");
            }
        }
        return out;
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }
}

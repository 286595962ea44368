package io.firstline.agent.diagnose;

import io.firstline.diagnostics.Action;
import io.firstline.diagnostics.Allowance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this agent lets the console run, from its own config file
 * ({@code diagnostics.*} keys, docs/diagnostics.md): whether diagnostics are
 * on at all, which actions, which logs (by name: a file or the systemd
 * journal), under which directories disk usage may look, and on which
 * interfaces a capture may listen. The console never changes it; the agent
 * refuses anything outside it.
 *
 * @param logs name to an absolute file path, or to {@value #JOURNAL} for the systemd journal
 */
public record DiagnosticsConfig(boolean enabled, Set<String> actions, Map<String, String> logs, List<String> diskRoots,
                                List<String> captureInterfaces) {
    /** A log that is the systemd journal, read with a fixed journalctl argument vector. */
    public static final String JOURNAL = "journal";
    /** The logs offered by default where they exist. */
    static final Map<String, String> DEFAULT_LOGS = defaultLogs();

    public DiagnosticsConfig {
        actions = Set.copyOf(actions);
        logs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(logs));
        diskRoots = List.copyOf(diskRoots);
        captureInterfaces = List.copyOf(captureInterfaces);
    }

    private static Map<String, String> defaultLogs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("syslog", "/var/log/syslog");
        m.put("messages", "/var/log/messages");
        m.put("kern", "/var/log/kern.log");
        m.put("auth", "/var/log/auth.log");
        m.put("journal", JOURNAL);
        return m;
    }

    /**
     * The defaults: on, every action, the usual system logs that exist on this
     * machine, disk usage under {@code /}, no capture interface (a capture
     * needs one named in the config).
     */
    public static DiagnosticsConfig defaults() {
        Map<String, String> logs = new LinkedHashMap<>();
        DEFAULT_LOGS.forEach((name, where) -> {
            if (where.equals(JOURNAL) ? Tools.find("journalctl").isPresent() : Files.isReadable(Path.of(where))) {
                logs.put(name, where);
            }
        });
        return new DiagnosticsConfig(true, Set.copyOf(Action.names()), logs, List.of("/"), List.of());
    }

    /** Diagnostics off: every request is refused. */
    public static DiagnosticsConfig off() {
        return new DiagnosticsConfig(false, Set.of(), Map.of(), List.of(), List.of());
    }

    /** What the agent reports to the console: this config, less what this machine cannot run. */
    public Allowance allowance() {
        List<String> unsupported = new ArrayList<>();
        if (actions.contains(Action.PACKET_CAPTURE.wireName()) && Tools.find("tcpdump").isEmpty()) {
            unsupported.add(Action.PACKET_CAPTURE.wireName());
        }
        if (actions.contains(Action.SERVICE_STATUS.wireName()) && Tools.find("systemctl").isEmpty()) {
            unsupported.add(Action.SERVICE_STATUS.wireName());
        }
        List<String> ordered = Action.names().stream().filter(actions::contains).toList();
        return new Allowance(enabled, enabled ? ordered : List.of(), enabled ? List.copyOf(logs.keySet()) : List.of(),
                enabled ? diskRoots : List.of(), enabled ? captureInterfaces : List.of(), unsupported);
    }
}

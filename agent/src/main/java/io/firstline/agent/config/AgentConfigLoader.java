package io.firstline.agent.config;

import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.collect.Registration;
import io.firstline.agent.events.KernelPatterns;
import io.firstline.wire.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the agent's configuration file: {@code key = value} lines, {@code #}
 * comments. Every problem names the file, the line and the key, so a bad
 * file stops the agent at startup with one clear sentence.
 *
 * <pre>
 * collectors.enable = sensors
 * collectors.disable = services, power
 * collector.processes.interval = 30s
 * inventory.interval = 1h
 * connectivity.dns = example.com, intranet.example
 * events.kernel_patterns = /etc/firstline/kernel-patterns.txt
 * diagnostics.enabled = true
 * diagnostics.actions = tcp_connect, dns_lookup, ping, log_tail
 * diagnostics.logs = syslog:/var/log/syslog, app:/var/log/app/current.log, journal:journal
 * diagnostics.disk_roots = /, /srv
 * diagnostics.capture_interfaces = eth0
 * </pre>
 */
public final class AgentConfigLoader {
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_INTERVAL = Duration.ofHours(24);
    static final Duration MIN_INVENTORY = Duration.ofMinutes(1);
    static final Duration MAX_INVENTORY = Duration.ofDays(7);
    private static final Pattern COLLECTOR_INTERVAL = Pattern.compile("collector\\.([^.]+)\\.interval");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?");

    /** A configuration problem, already phrased for the user. */
    public static final class ConfigException extends IllegalArgumentException {
        public ConfigException(String message) {
            super(message);
        }
    }

    private final CollectorRegistry registry;

    public AgentConfigLoader(CollectorRegistry registry) {
        this.registry = registry;
    }

    public AgentConfig load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    public AgentConfig parse(String name, String text) {
        Set<String> enable = new LinkedHashSet<>();
        Set<String> disable = new LinkedHashSet<>();
        Map<String, Duration> intervals = new HashMap<>();
        List<String> dns = new ArrayList<>();
        Duration inventory = AgentConfig.DEFAULT_INVENTORY_INTERVAL;
        KernelPatterns patterns = null;
        DiagnosticsKeys diagnostics = new DiagnosticsKeys();
        Set<String> keys = new LinkedHashSet<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String at = name + ":" + (n + 1) + ": ";
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(at + "expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (!keys.add(key)) {
                throw new ConfigException(at + key + " is set twice");
            }
            var m = COLLECTOR_INTERVAL.matcher(key);
            switch (key) {
                case "collectors.enable" -> enable.addAll(collectors(at, key, value));
                case "collectors.disable" -> disable.addAll(collectors(at, key, value));
                case "inventory.interval" -> inventory = duration(at, key, value, MIN_INVENTORY, MAX_INVENTORY);
                case "connectivity.dns" -> dns.addAll(hostNames(at, key, value));
                case "events.kernel_patterns" -> {
                    try {
                        patterns = KernelPatterns.load(Path.of(value));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(at + key + ": " + e.getMessage());
                    }
                }
                case "diagnostics.enabled", "diagnostics.actions", "diagnostics.logs", "diagnostics.disk_roots",
                     "diagnostics.capture_interfaces" -> {
                    try {
                        diagnostics.set(key, value);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(at + key + ": " + e.getMessage());
                    }
                }
                default -> {
                    if (!m.matches()) {
                        throw new ConfigException(at + "unknown key '" + key + "' (known: collectors.enable, collectors.disable, "
                                + "collector.NAME.interval, inventory.interval, connectivity.dns, events.kernel_patterns, "
                                + "diagnostics.enabled, diagnostics.actions, diagnostics.logs, diagnostics.disk_roots, "
                                + "diagnostics.capture_interfaces)");
                    }
                    String collector = m.group(1);
                    checkKnown(at, key, collector);
                    intervals.put(collector, duration(at, key, value, MIN_INTERVAL, MAX_INTERVAL));
                }
            }
        }
        for (String c : enable) {
            if (disable.contains(c)) {
                throw new ConfigException(name + ": collector '" + c + "' is both enabled and disabled");
            }
        }
        return new AgentConfig(enable, disable, intervals, dns, inventory, patterns == null ? KernelPatterns.builtIn() : patterns,
                diagnostics.build());
    }

    private List<String> collectors(String at, String key, String value) {
        List<String> names = list(value);
        for (String c : names) {
            checkKnown(at, key, c);
        }
        return names;
    }

    private void checkKnown(String at, String key, String collector) {
        if (!registry.knows(collector)) {
            throw new ConfigException(at + "unknown collector '" + collector + "' in " + key + " (known: "
                    + String.join(", ", registry.all().stream().map(Registration::name).toList()) + ")");
        }
    }

    private static Duration duration(String at, String key, String value, Duration min, Duration max) {
        Duration d;
        try {
            d = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + "bad interval for " + key + ": " + e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(at + "bad interval for " + key + ": '" + value + "' is outside "
                    + Durations.format(min) + " to " + Durations.format(max));
        }
        return d;
    }

    private static List<String> hostNames(String at, String key, String value) {
        List<String> names = list(value);
        for (String h : names) {
            if (h.length() > 253 || !HOST_NAME.matcher(h).matches()) {
                throw new ConfigException(at + "'" + h + "' in " + key + " is not a host name");
            }
        }
        return names;
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

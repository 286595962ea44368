package io.firstline.agent.config;

import io.firstline.agent.diagnose.DiagnosticsConfig;
import io.firstline.agent.events.KernelPatterns;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the agent collects: collectors added to or removed from the defaults,
 * per-collector schedules, DNS names the connectivity collector resolves, and
 * how often the inventory is checked for changes, and the table that
 * classifies kernel log lines (built in unless {@code events.kernel_patterns} names a file), and
 * what diagnostics the console may run here ({@code diagnostics.*}). Read by
 * {@link AgentConfigLoader}; see docs/collectors.md.
 */
public record AgentConfig(Set<String> enable, Set<String> disable, Map<String, Duration> intervals,
                          List<String> dnsNames, Duration inventoryInterval, KernelPatterns kernelPatterns,
                          DiagnosticsConfig diagnostics) {
    public static final Duration DEFAULT_INVENTORY_INTERVAL = Duration.ofHours(1);

    public AgentConfig {
        enable = Set.copyOf(enable);
        disable = Set.copyOf(disable);
        intervals = Map.copyOf(intervals);
        dnsNames = List.copyOf(dnsNames);
        java.util.Objects.requireNonNull(kernelPatterns, "kernelPatterns");
        java.util.Objects.requireNonNull(diagnostics, "diagnostics");
    }

    /** With the default diagnostics allow-list ({@link DiagnosticsConfig#defaults()}). */
    public AgentConfig(Set<String> enable, Set<String> disable, Map<String, Duration> intervals, List<String> dnsNames,
                       Duration inventoryInterval, KernelPatterns kernelPatterns) {
        this(enable, disable, intervals, dnsNames, inventoryInterval, kernelPatterns, DiagnosticsConfig.defaults());
    }

    /** This config with another diagnostics allow-list. */
    public AgentConfig withDiagnostics(DiagnosticsConfig d) {
        return new AgentConfig(enable, disable, intervals, dnsNames, inventoryInterval, kernelPatterns, d);
    }

    /** With the built-in kernel pattern table. */
    public AgentConfig(Set<String> enable, Set<String> disable, Map<String, Duration> intervals, List<String> dnsNames,
                       Duration inventoryInterval) {
        this(enable, disable, intervals, dnsNames, inventoryInterval, KernelPatterns.builtIn());
    }

    /** Defaults only: every collector as registered, no DNS names, inventory checked hourly. */
    public static AgentConfig defaults() {
        return new AgentConfig(Set.of(), Set.of(), Map.of(), List.of(), DEFAULT_INVENTORY_INTERVAL);
    }
}

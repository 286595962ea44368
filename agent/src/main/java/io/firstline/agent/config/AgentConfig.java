package io.firstline.agent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the agent collects: collectors added to or removed from the defaults,
 * per-collector schedules, DNS names the connectivity collector resolves, and
 * how often the inventory is checked for changes. Read by
 * {@link AgentConfigLoader}; see docs/collectors.md.
 */
public record AgentConfig(Set<String> enable, Set<String> disable, Map<String, Duration> intervals,
                          List<String> dnsNames, Duration inventoryInterval) {
    public static final Duration DEFAULT_INVENTORY_INTERVAL = Duration.ofHours(1);

    public AgentConfig {
        enable = Set.copyOf(enable);
        disable = Set.copyOf(disable);
        intervals = Map.copyOf(intervals);
        dnsNames = List.copyOf(dnsNames);
    }

    /** Defaults only: every collector as registered, no DNS names, inventory checked hourly. */
    public static AgentConfig defaults() {
        return new AgentConfig(Set.of(), Set.of(), Map.of(), List.of(), DEFAULT_INVENTORY_INTERVAL);
    }
}

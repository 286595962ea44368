package io.firstline.agent.collect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every collector the agent has, in one list (as node_exporter's
 * {@code registerCollector}). Adding a collector means writing its class and
 * adding one line here.
 */
public final class CollectorRegistry {
    /** The built-in collectors, in the order they run. */
    public static final List<Registration> BUILT_IN = List.of(
            new Registration("cpu", true, CpuCollector::new),
            new Registration("memory", true, MemoryCollector::new),
            new Registration("filesystem", true, FilesystemCollector::new),
            new Registration("network", true, NetworkCollector::new));

    private final List<Registration> registrations;

    public CollectorRegistry(List<Registration> registrations) {
        Set<String> seen = new LinkedHashSet<>();
        for (Registration r : registrations) {
            if (!seen.add(r.name())) {
                throw new IllegalArgumentException("collector registered twice: " + r.name());
            }
        }
        this.registrations = List.copyOf(registrations);
    }

    public static CollectorRegistry builtIn() {
        return new CollectorRegistry(BUILT_IN);
    }

    public List<Registration> all() {
        return registrations;
    }

    /**
     * The registrations to run: the defaults, then {@code enable} added and
     * {@code disable} removed.
     *
     * @throws IllegalArgumentException naming an unknown collector
     */
    public List<Registration> select(Collection<String> enable, Collection<String> disable) {
        checkKnown(enable);
        checkKnown(disable);
        List<Registration> out = new ArrayList<>();
        for (Registration r : registrations) {
            boolean on = (r.enabledByDefault() || enable.contains(r.name())) && !disable.contains(r.name());
            if (on) {
                out.add(r);
            }
        }
        return out;
    }

    private void checkKnown(Collection<String> names) {
        for (String n : names) {
            if (registrations.stream().noneMatch(r -> r.name().equals(n))) {
                throw new IllegalArgumentException("unknown collector '" + n + "' (known: "
                        + String.join(", ", registrations.stream().map(Registration::name).toList()) + ")");
            }
        }
    }
}

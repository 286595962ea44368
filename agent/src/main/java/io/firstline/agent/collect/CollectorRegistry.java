package io.firstline.agent.collect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
            new Registration("disk", true, DiskCollector::new),
            new Registration("network", true, NetworkCollector::new),
            new Registration("connectivity", true, Duration.ofMinutes(1), ConnectivityCollector::new),
            new Registration("processes", true, Duration.ofSeconds(30), ProcessCollector::new),
            new Registration("sensors", true, Duration.ofMinutes(1), SensorsCollector::new),
            new Registration("power", true, Duration.ofMinutes(1), PowerCollector::new),
            new Registration("os", true, Duration.ofMinutes(1), OsCollector::new),
            new Registration("services", true, Duration.ofMinutes(5), ServicesCollector::new),
            new Registration("time", true, Duration.ofMinutes(1), TimeCollector::new),
            // Event sources (io.firstline.agent.events) report here whether they listen or fell back to polling.
            new Registration("kernel_log", true, p -> new EventSourceCollector("kernel_log", p)),
            new Registration("mount_events", true, p -> new EventSourceCollector("mount_events", p)),
            new Registration("link_events", true, p -> new EventSourceCollector("link_events", p)));

    /** The collectors that report the running agent's event sources; a one-shot collection has none to report. */
    public static final Set<String> EVENT_SOURCES = Set.of("kernel_log", "mount_events", "link_events");

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
        return select(enable, disable, Map.of());
    }

    /**
     * As {@link #select(Collection, Collection)}, with the schedules in
     * {@code every} replacing the defaults.
     *
     * @throws IllegalArgumentException naming an unknown collector
     */
    public List<Registration> select(Collection<String> enable, Collection<String> disable, Map<String, Duration> every) {
        checkKnown(enable);
        checkKnown(disable);
        checkKnown(every.keySet());
        List<Registration> out = new ArrayList<>();
        for (Registration r : registrations) {
            boolean on = (r.enabledByDefault() || enable.contains(r.name())) && !disable.contains(r.name());
            if (on) {
                out.add(every.containsKey(r.name()) ? r.every(every.get(r.name())) : r);
            }
        }
        return out;
    }

    /** Every registration on the every-sample schedule, for a one-shot collection, without the event sources' reports. */
    public static List<Registration> everyCycle(List<Registration> registrations) {
        return registrations.stream().filter(r -> !EVENT_SOURCES.contains(r.name())).map(r -> r.every(Duration.ZERO)).toList();
    }

    /** Whether {@code name} is a registered collector. */
    public boolean knows(String name) {
        return registrations.stream().anyMatch(r -> r.name().equals(name));
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

package io.firstline.agent.encode;

import io.firstline.agent.collect.InventoryReader.Item;
import io.firstline.agent.collect.Snapshot;
import io.firstline.proto.HostFacts;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human form of a snapshot, as {@code collect --once} prints it: the
 * collectors' outcomes, the host-wide values one per row, then one table per
 * family of per-resource values (file systems, disks, interfaces, top
 * processes...) with one row per resource and one column per metric, texts
 * such as a process's name on the row they belong to. Values are in
 * {@link HumanUnits}; {@code --json} has the raw numbers.
 */
public final class SnapshotTable {
    private SnapshotTable() {
    }

    public static String render(HostFacts host, Snapshot s, List<Item> inventory, ZoneId zone) {
        HumanUnits units = new HumanUnits(zone);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s  %s %s  %s  %d CPUs  %s memory%n", host.getHostname(), host.getOsFamily(),
                host.getOsVersion(), host.getArch(), host.getLogicalCpus(), HumanUnits.bytes(host.getMemoryBytes())));

        TextTable runs = new TextTable(List.of("COLLECTOR", "OUTCOME", "TIME", "ERROR"));
        for (Snapshot.Run r : s.runs()) {
            runs.row(List.of(r.collector(), r.outcome().name().toLowerCase(Locale.ROOT),
                    String.format(Locale.ROOT, "%.1f ms", r.durationMicros() / 1000.0), r.error() == null ? "" : r.error()));
        }
        section(b, runs);

        // Host-wide values and texts, one per row, by their full metric names (as rules and --json name them).
        TextTable hostWide = new TextTable(List.of("METRIC", "VALUE"));
        Map<String, Family> families = new LinkedHashMap<>();
        for (Snapshot.Reading r : s.values()) {
            if (r.resource().isEmpty()) {
                hostWide.row(List.of(r.metric(), units.format(r.metric(), r.value())));
            } else {
                families.computeIfAbsent(family(r.metric()), Family::new).put(r.resource(), r.metric(), units.format(r.metric(), r.value()));
            }
        }
        for (Snapshot.TextReading t : s.texts()) {
            if (t.resource().isEmpty()) {
                hostWide.row(List.of(t.metric(), t.text()));
            } else {
                families.computeIfAbsent(family(t.metric()), Family::new).put(t.resource(), t.metric(), t.text());
            }
        }
        section(b, hostWide);
        for (Family f : families.values()) {
            section(b, f.table());
        }

        if (!inventory.isEmpty()) {
            TextTable inv = new TextTable(List.of("INVENTORY", "NAME", "ATTRIBUTES"));
            long apps = 0;
            for (Item i : inventory) {
                if (i.kind().equals("app")) {
                    apps++;
                    continue;
                }
                StringBuilder attrs = new StringBuilder();
                i.attributes().forEach((k, v) -> attrs.append(attrs.length() == 0 ? "" : "  ").append(k).append('=').append(v));
                inv.row(List.of(i.kind(), i.name(), attrs.toString()));
            }
            inv.row(List.of("app", apps + " installed", "(listed by --json)"));
            section(b, inv);
        }
        return b.toString();
    }

    private static void section(StringBuilder b, TextTable t) {
        if (!t.isEmpty()) {
            b.append(System.lineSeparator());
            t.appendTo(b);
        }
    }

    private static String family(String metric) {
        int dot = metric.indexOf('.');
        return dot < 0 ? metric : metric.substring(0, dot);
    }

    /** The per-resource values of one metric family: rows by resource, columns by metric, in order of first appearance. */
    private static final class Family {
        private final String name;
        private final List<String> metrics = new ArrayList<>();
        private final Map<String, Map<String, String>> rows = new LinkedHashMap<>();

        Family(String name) {
            this.name = name;
        }

        void put(String resource, String metric, String value) {
            if (!metrics.contains(metric)) {
                metrics.add(metric);
            }
            rows.computeIfAbsent(resource, r -> new LinkedHashMap<>()).put(metric, value);
        }

        TextTable table() {
            List<String> headings = metrics.stream().map(HumanUnits::heading).toList();
            // cpu.core_user_ratio, cpu.core_system_ratio...: the shared "core_" says nothing per column.
            String shared = sharedPrefix(headings);
            List<String> header = new ArrayList<>();
            header.add(name.toUpperCase(Locale.ROOT));
            for (String h : headings) {
                header.add(h.substring(shared.length()).toUpperCase(Locale.ROOT));
            }
            TextTable t = new TextTable(header);
            rows.forEach((resource, values) -> {
                List<String> cells = new ArrayList<>();
                cells.add(resource);
                for (String m : metrics) {
                    cells.add(values.getOrDefault(m, "-"));
                }
                t.row(cells);
            });
            return t;
        }

        private static String sharedPrefix(List<String> headings) {
            if (headings.size() < 2) {
                return "";
            }
            String first = headings.get(0);
            int cut = first.indexOf('_');
            if (cut < 0) {
                return "";
            }
            String prefix = first.substring(0, cut + 1);
            return headings.stream().allMatch(h -> h.startsWith(prefix) && h.length() > prefix.length()) ? prefix : "";
        }
    }
}

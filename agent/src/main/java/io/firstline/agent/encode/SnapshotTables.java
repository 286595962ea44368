package io.firstline.agent.encode;

import io.firstline.agent.collect.Snapshot;
import io.firstline.proto.HostFacts;
import io.firstline.proto.SnapshotRow;
import io.firstline.proto.SnapshotTable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot as the tables a support engineer reads on a user's ticket
 * (UserReport.tables): the machine, then one table per metric family (cpu,
 * memory, fs, net, ...) with a row per resource ("(machine)" for host-wide
 * values) and a column per metric, the top processes, and collectors that
 * failed. Values in {@link HumanUnits}, as {@code collect --once} prints
 * them; tables and cells are capped so a report stays small.
 */
public final class SnapshotTables {
    static final int MAX_ROWS = 40;
    static final int MAX_CELL = 200;
    private static final String PROCESS = "process.";

    private SnapshotTables() {
    }

    public static List<SnapshotTable> of(HostFacts host, Snapshot s, ZoneId zone) {
        HumanUnits units = new HumanUnits(zone);
        List<SnapshotTable> out = new ArrayList<>();
        out.add(table("machine", List.of("hostname", "os", "arch", "cpus", "memory"), List.of(List.of(host.getHostname(),
                (host.getOsFamily() + " " + host.getOsVersion()).trim(), host.getArch(), Integer.toString(host.getLogicalCpus()),
                HumanUnits.bytes(host.getMemoryBytes())))));
        Map<String, Map<String, Map<String, String>>> areas = new LinkedHashMap<>(); // area -> resource -> column -> cell
        Map<String, Set<String>> columns = new LinkedHashMap<>();
        Map<String, Map<String, String>> processes = new LinkedHashMap<>(); // rank -> field -> cell
        for (Snapshot.Reading r : s.values()) {
            if (r.metric().startsWith(PROCESS)) {
                processes.computeIfAbsent(r.resource(), k -> new LinkedHashMap<>()).put(r.metric(), units.format(r.metric(), r.value()));
            } else {
                put(areas, columns, r.metric(), r.resource(), units.format(r.metric(), r.value()));
            }
        }
        for (Snapshot.TextReading t : s.texts()) {
            if (t.metric().startsWith(PROCESS)) {
                processes.computeIfAbsent(t.resource(), k -> new LinkedHashMap<>()).put(t.metric(), t.text());
            } else {
                put(areas, columns, t.metric(), t.resource(), t.text());
            }
        }
        areas.forEach((area, byResource) -> {
            List<String> cols = new ArrayList<>(columns.get(area));
            List<List<String>> rows = new ArrayList<>();
            byResource.forEach((resource, cells) -> {
                List<String> row = new ArrayList<>();
                row.add(resource.isEmpty() ? "(machine)" : resource);
                cols.forEach(c -> row.add(cells.getOrDefault(c, "")));
                rows.add(row);
            });
            List<String> header = new ArrayList<>();
            header.add("resource");
            List<String> headings = cols.stream().map(HumanUnits::heading).toList();
            for (int i = 0; i < cols.size(); i++) {
                String h = headings.get(i);
                // Where two metrics read the same without their unit (rx bytes and rx bytes per second), keep the unit.
                header.add(headings.indexOf(h) != headings.lastIndexOf(h) ? cols.get(i).substring(cols.get(i).indexOf('.') + 1) : h);
            }
            out.add(table(area, header, rows));
        });
        if (!processes.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            processes.forEach((rank, f) -> rows.add(List.of(rank, f.getOrDefault("process.name", ""), f.getOrDefault("process.pid", ""),
                    f.getOrDefault("process.user", ""), f.getOrDefault("process.cpu_ratio", ""), f.getOrDefault("process.rss_bytes", ""))));
            out.add(table("top processes", List.of("rank", "name", "pid", "user", "cpu", "memory"), rows));
        }
        List<List<String>> failed = new ArrayList<>();
        for (Snapshot.Run r : s.runs()) {
            if (r.outcome() == Snapshot.Outcome.FAILED) {
                failed.add(List.of(r.collector(), r.error() == null ? "" : r.error()));
            }
        }
        if (!failed.isEmpty()) {
            out.add(table("failed collectors", List.of("collector", "error"), failed));
        }
        return out;
    }

    private static void put(Map<String, Map<String, Map<String, String>>> areas, Map<String, Set<String>> columns, String metric,
                            String resource, String cell) {
        int dot = metric.indexOf('.');
        String area = dot < 0 ? "other" : metric.substring(0, dot);
        String column = metric;
        areas.computeIfAbsent(area, k -> new LinkedHashMap<>()).computeIfAbsent(resource, k -> new LinkedHashMap<>()).put(column, cell);
        columns.computeIfAbsent(area, k -> new LinkedHashSet<>()).add(column);
    }

    public static SnapshotTable table(String name, List<String> columns, List<List<String>> rows) {
        SnapshotTable.Builder b = SnapshotTable.newBuilder().setName(name).addAllColumns(columns);
        for (List<String> row : rows.subList(0, Math.min(rows.size(), MAX_ROWS))) {
            SnapshotRow.Builder r = SnapshotRow.newBuilder();
            row.forEach(c -> r.addCells(c.length() > MAX_CELL ? c.substring(0, MAX_CELL) + "…" : c));
            b.addRows(r);
        }
        if (rows.size() > MAX_ROWS) {
            SnapshotRow.Builder more = SnapshotRow.newBuilder().addCells("… " + (rows.size() - MAX_ROWS) + " more rows");
            for (int i = 1; i < columns.size(); i++) {
                more.addCells("");
            }
            b.addRows(more);
        }
        return b.build();
    }
}

package io.firstline.agent.encode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firstline.agent.collect.InventoryReader.Item;
import io.firstline.agent.collect.Snapshot;
import io.firstline.proto.HostFacts;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The human and script forms of a snapshot, as {@code collect --once} prints
 * it. The JSON shape ({@code values: [{metric, resource, value}]}) is the same
 * one the console's {@code /api/agents/{id}} uses.
 */
public final class SnapshotJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SnapshotJson() {
    }

    public static String write(HostFacts host, Snapshot s) {
        return write(host, s, List.of());
    }

    /** The snapshot and, when not empty, the inventory ({@code inventory: [{kind, name, attributes}]}). */
    public static String write(HostFacts host, Snapshot s, List<Item> inventory) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("timestamp", Instant.ofEpochMilli(s.timestampMs()).toString());
        ObjectNode h = root.putObject("host");
        h.put("hostname", host.getHostname());
        h.put("osFamily", host.getOsFamily());
        h.put("osVersion", host.getOsVersion());
        h.put("arch", host.getArch());
        h.put("logicalCpus", host.getLogicalCpus());
        h.put("memoryBytes", host.getMemoryBytes());
        ArrayNode runs = root.putArray("collectors");
        for (Snapshot.Run r : s.runs()) {
            ObjectNode n = runs.addObject();
            n.put("name", r.collector());
            n.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
            n.put("durationMicros", r.durationMicros());
            if (r.error() != null && !r.error().isEmpty()) {
                n.put("error", r.error());
            }
        }
        ArrayNode values = root.putArray("values");
        for (Snapshot.Reading r : s.values()) {
            ObjectNode n = values.addObject();
            n.put("metric", r.metric());
            if (!r.resource().isEmpty()) {
                n.put("resource", r.resource());
            }
            n.put("value", r.value());
        }
        ArrayNode texts = root.putArray("texts");
        for (Snapshot.TextReading t : s.texts()) {
            ObjectNode n = texts.addObject();
            n.put("metric", t.metric());
            if (!t.resource().isEmpty()) {
                n.put("resource", t.resource());
            }
            n.put("value", t.text());
        }
        if (!inventory.isEmpty()) {
            ArrayNode inv = root.putArray("inventory");
            for (Item i : inventory) {
                ObjectNode n = inv.addObject();
                n.put("kind", i.kind());
                n.put("name", i.name());
                ObjectNode attrs = n.putObject("attributes");
                i.attributes().forEach(attrs::put);
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String table(HostFacts host, Snapshot s) {
        return table(host, s, List.of());
    }

    /** The table, followed by the inventory (applications counted, not listed). */
    public static String table(HostFacts host, Snapshot s, List<Item> inventory) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s  %s %s  %s  %d CPUs  %s memory%n", host.getHostname(), host.getOsFamily(),
                host.getOsVersion(), host.getArch(), host.getLogicalCpus(), bytes(host.getMemoryBytes())));
        b.append(String.format(Locale.ROOT, "%nCOLLECTOR     OUTCOME      TIME%n"));
        for (Snapshot.Run r : s.runs()) {
            b.append(String.format(Locale.ROOT, "%-13s %-12s %6.1f ms  %s%n", r.collector(), r.outcome().name().toLowerCase(Locale.ROOT),
                    r.durationMicros() / 1000.0, r.error() == null ? "" : r.error()));
        }
        b.append(String.format(Locale.ROOT, "%n%-30s %-20s %s%n", "METRIC", "RESOURCE", "VALUE"));
        for (Snapshot.Reading r : s.values()) {
            b.append(String.format(Locale.ROOT, "%-30s %-20s %s%n", r.metric(), r.resource(), number(r.metric(), r.value())));
        }
        for (Snapshot.TextReading t : s.texts()) {
            b.append(String.format(Locale.ROOT, "%-30s %-20s %s%n", t.metric(), t.resource(), t.text()));
        }
        if (!inventory.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%n%-14s %-24s %s%n", "INVENTORY", "NAME", "ATTRIBUTES"));
            long apps = 0;
            for (Item i : inventory) {
                if (i.kind().equals("app")) {
                    apps++;
                    continue;
                }
                StringBuilder attrs = new StringBuilder();
                i.attributes().forEach((k, v) -> attrs.append(attrs.length() == 0 ? "" : "  ").append(k).append('=').append(v));
                b.append(String.format(Locale.ROOT, "%-14s %-24s %s%n", i.kind(), i.name(), attrs));
            }
            b.append(String.format(Locale.ROOT, "%-14s %-24s %d installed (see --json)%n", "app", "", apps));
        }
        return b.toString();
    }

    private static String number(String metric, double v) {
        if (metric.endsWith("_ratio")) {
            return String.format(Locale.ROOT, "%.1f %%", v * 100);
        }
        if (metric.endsWith("_bytes")) {
            return bytes(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String bytes(double v) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", v) : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

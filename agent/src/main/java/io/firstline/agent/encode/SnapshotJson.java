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
 * The script form of a snapshot, as {@code collect --once --json} prints it
 * ({@link SnapshotTable} is the human one). The JSON shape ({@code values: [{metric, resource, value}]}) is the same
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
}

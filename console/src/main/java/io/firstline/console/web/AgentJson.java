package io.firstline.console.web;

import io.firstline.wire.KeyValues;
import io.firstline.console.fleet.AgentSnapshot;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.InventoryItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shapes of {@code /api/agents} (a summary per agent) and
 * {@code /api/agents/{id}} (everything the console knows). Values use the
 * same {@code {metric, resource, value}} shape as the agent's
 * {@code collect --json}.
 */
final class AgentJson {
    private AgentJson() {
    }

    static Map<String, Object> summary(AgentSnapshot a, FleetState fleet) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("hostname", a.host().getHostname());
        m.put("site", a.site());
        m.put("status", fleet.status(a).name().toLowerCase(Locale.ROOT));
        m.put("connected", a.connected());
        if (!a.node().isEmpty()) {
            m.put("node", a.node());
        }
        m.put("lastSeen", a.lastSeen());
        m.put("knownSince", a.knownSince());
        m.put("os", (a.host().getOsFamily() + " " + a.host().getOsVersion()).trim());
        m.put("arch", a.host().getArch());
        m.put("agentVersion", a.agentVersion());
        m.put("cpuUsage", a.value("cpu.usage_ratio").orElse(null));
        m.put("memoryUsed", a.value("memory.used_ratio").orElse(null));
        m.put("fullestFilesystem", a.highest("fs.used_ratio")
                .map(v -> Map.<String, Object>of("mount", v.resource(), "usedRatio", v.value())).orElse(null));
        return m;
    }

    static Map<String, Object> detail(AgentSnapshot a, FleetState fleet) {
        Map<String, Object> m = summary(a, fleet);
        m.put("remoteAddress", a.remoteAddress());
        m.put("bootEpoch", Instant.ofEpochMilli(a.bootEpoch()));
        m.put("lastSequence", a.lastSequence());
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("osFamily", a.host().getOsFamily());
        host.put("osVersion", a.host().getOsVersion());
        host.put("logicalCpus", a.host().getLogicalCpus());
        host.put("memoryBytes", a.host().getMemoryBytes());
        m.put("host", host);
        m.put("sampleTime", a.sampleTime());
        m.put("collectors", a.collectors().stream().map(r -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", r.name());
            c.put("outcome", r.outcome().toLowerCase(Locale.ROOT));
            c.put("durationMicros", r.durationMicros());
            c.put("at", r.at());
            if (!r.error().isEmpty()) {
                c.put("error", r.error());
            }
            return c;
        }).toList());
        m.put("values", a.values().stream().map(v -> entry(v.metric(), v.resource(), v.value())).toList());
        m.put("texts", a.texts().stream().map(v -> entry(v.metric(), v.resource(), v.value())).toList());
        List<Map<String, Object>> inventory = new ArrayList<>();
        for (InventoryItem item : a.inventory().getItemsList()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("kind", item.getKind());
            i.put("name", item.getName());
            i.put("attributes", KeyValues.toMap(item.getAttributesList()));
            inventory.add(i);
        }
        m.put("inventory", inventory);
        return m;
    }

    private static Map<String, Object> entry(String metric, String resource, Object value) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("metric", metric);
        if (!resource.isEmpty()) {
            e.put("resource", resource);
        }
        e.put("value", value);
        return e;
    }
}

package io.firstline.console.fleet;

import io.firstline.wire.KeyValues;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Inventory;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One agent as the console knew it at one moment; immutable, for the API and
 * the web view. {@code lastSeen} is null for an agent that never connected;
 * {@code knownSince} is its enrollment (or first Hello), null only for an
 * agent known from neither. {@code connected} is true while it is connected
 * to this node or, by the shared presence, to another: {@code node} names
 * that other node ("" when it is connected here or nowhere).
 */
public record AgentSnapshot(String id, HostFacts host, String site, String agentVersion, boolean connected, String remoteAddress,
                            Instant lastSeen, Instant knownSince, long bootEpoch, long lastSequence, Instant sampleTime,
                            List<Value> values, List<Text> texts, List<Run> collectors, Inventory inventory,
                            String node) {

    public record Value(String metric, String resource, double value) {
    }

    public record Text(String metric, String resource, String value) {
    }

    /** A collector's latest outcome, from the sample at {@code at} (slow collectors run in few samples). */
    public record Run(String name, String outcome, long durationMicros, String error, Instant at) {
    }

    /**
     * The machine's model as its inventory's {@code system} item names it
     * ("LENOVO 20XW0026GE"), the baseboard's when the system's is not known;
     * empty when the inventory says neither (or has not arrived yet).
     */
    public String hardwareModel() {
        String system = model("system");
        return system.isEmpty() ? model("baseboard") : system;
    }

    private String model(String kind) {
        for (io.firstline.proto.InventoryItem item : inventory.getItemsList()) {
            if (item.getKind().equals(kind)) {
                String vendor = known(KeyValues.get(item.getAttributesList(), "vendor", ""));
                String model = known(KeyValues.get(item.getAttributesList(), "model", ""));
                return model.isEmpty() ? "" : (vendor.isEmpty() || model.startsWith(vendor) ? model : vendor + " " + model);
            }
        }
        return "";
    }

    /** OSHI says "unknown" (or the firmware "Not Specified", "To be filled by O.E.M.") where it has nothing. */
    private static String known(String v) {
        String s = v.strip();
        String l = s.toLowerCase(java.util.Locale.ROOT);
        return l.equals("unknown") || l.equals("not specified") || l.equals("default string") || l.startsWith("to be filled")
                || l.equals("system product name") || l.equals("system manufacturer") ? "" : s;
    }

    /** The host-wide value of {@code metric}, if the last sample had it. */
    public Optional<Double> value(String metric) {
        return values.stream().filter(v -> v.metric().equals(metric) && v.resource().isEmpty()).map(Value::value).findFirst();
    }

    /** The resource with the highest value of {@code metric} (e.g. the fullest file system). */
    public Optional<Value> highest(String metric) {
        return values.stream().filter(v -> v.metric().equals(metric)).max((a, b) -> Double.compare(a.value(), b.value()));
    }
}

package io.firstline.console.fleet;

import io.firstline.proto.Hello;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One agent's row in the shared presence (several console nodes on one
 * store, migration V192): which node it is connected to and the few facts a
 * fleet row shows. A node writes the rows of its own agents and reads the
 * others'.
 *
 * @param connectedAtMs   when it connected to {@code nodeId} (that node's clock); 0 in rows this node writes after the claim
 * @param knownSince      its enrollment (or first Hello)
 * @param lastSeen        when it was last heard (null for an agent never heard)
 * @param hello           its Hello, only where it is being written or read (null otherwise)
 * @param cpu             NaN where unknown, as are {@code memory} and {@code fullestDisk}
 * @param settledThrough  per boot epoch, the sequence ledger's watermark to store (rows this node writes); empty otherwise
 */
public record Presence(String agentId, String nodeId, boolean connected, long connectedAtMs, Instant knownSince, Instant lastSeen,
                       Hello hello,
                       String site, float cpu, float memory, float fullestDisk, String fullestMount,
                       Map<Long, Long> settledThrough) {
    public Presence {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(knownSince, "knownSince");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(fullestMount, "fullestMount");
        settledThrough = Map.copyOf(settledThrough);
    }

    /** This row with {@code h} as its Hello (null: none, unchanged). */
    public Presence withHello(Hello h) {
        return h == null ? this : new Presence(agentId, nodeId, connected, connectedAtMs, knownSince, lastSeen, h, site, cpu, memory,
                fullestDisk, fullestMount, settledThrough);
    }
}

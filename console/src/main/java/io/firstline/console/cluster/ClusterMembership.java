package io.firstline.console.cluster;

import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import java.time.Clock;
import java.util.List;

/**
 * A console node joining the store it shares with other nodes: the store
 * keeps the CA fingerprint of the first node, and a node whose CA differs
 * refuses to start (agents pin the CA, so it could never serve them); each
 * node records itself in {@code console_nodes}.
 */
public final class ClusterMembership {
    /** A node that started on this store, as {@code console_nodes} lists it. */
    public record Node(String nodeId, String version, String agentAddress, String httpAddress, long startedAtMs, long lastSeenMs) {
    }

    private ClusterMembership() {
    }

    /**
     * Records this node, or refuses it.
     *
     * @throws IllegalStateException when the store's nodes use another CA
     */
    public static void join(Store store, String nodeId, String caFingerprint, String version, String agentAddress,
                            String httpAddress, Clock clock) {
        long now = clock.millis();
        String shared = store.write(c -> {
            Sql.update(c, "INSERT INTO console_cluster (id, ca_fingerprint, created_at_ms) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
                    caFingerprint, now);
            String ca = Sql.one(c, "SELECT ca_fingerprint FROM console_cluster WHERE id = 1", rs -> rs.getString(1)).orElseThrow();
            if (ca.equals(caFingerprint)) {
                Sql.update(c, "INSERT INTO console_nodes (node_id, version, agent_address, http_address, started_at_ms, last_seen_ms)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET version = excluded.version,"
                        + " agent_address = excluded.agent_address, http_address = excluded.http_address,"
                        + " started_at_ms = excluded.started_at_ms, last_seen_ms = excluded.last_seen_ms",
                        nodeId, version, agentAddress, httpAddress, now, now);
            }
            return ca;
        });
        if (!shared.equals(caFingerprint)) {
            throw new IllegalStateException("this console's CA (" + caFingerprint + ", in DATA/pki) is not the CA of the other"
                    + " console nodes on the store " + store.describe() + " (" + shared + "), so the agents they enrolled could"
                    + " not connect here: copy pki/ca.crt and pki/ca.key from a running node's data directory into this node's"
                    + " before starting it (docs/operations.md, \"Several console nodes\")");
        }
    }

    /** Says this node is alive (every few seconds). */
    public static void heartbeat(Store store, String nodeId, Clock clock) {
        store.write(c -> Sql.update(c, "UPDATE console_nodes SET last_seen_ms = ? WHERE node_id = ?", clock.millis(), nodeId));
    }

    /** Every node that ever started on this store, most recently seen first. */
    public static List<Node> nodes(Store store) {
        return store.read(c -> Sql.list(c, "SELECT node_id, version, agent_address, http_address, started_at_ms, last_seen_ms"
                + " FROM console_nodes ORDER BY last_seen_ms DESC, node_id", rs -> new Node(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6))));
    }
}

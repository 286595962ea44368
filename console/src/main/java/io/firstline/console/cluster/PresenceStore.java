package io.firstline.console.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.firstline.console.fleet.Presence;
import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import io.firstline.proto.Hello;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The shared presence and sequence ledgers (migration V192): which node each
 * agent is connected to, the facts a fleet row shows, and how far each
 * agent's messages are settled. Rows carry the revision of the batch that
 * wrote them, so a node reads only what changed since its last read.
 */
public final class PresenceStore {
    /** Boot epochs of one agent whose ledger is kept (as a node keeps them in memory). */
    static final int EPOCHS_KEPT = 16;
    private static final String COLUMNS = "agent_id, node_id, connected, connected_at_ms, known_since_ms, last_seen_ms, site, cpu, memory,"
            + " fullest_disk, fullest_mount, revision";
    private static final String WRITE = "INSERT INTO fleet_presence (agent_id, node_id, connected, connected_at_ms, known_since_ms,"
            + " last_seen_ms, hello, site, cpu, memory, fullest_disk, fullest_mount, revision)"
            + " VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (agent_id) DO UPDATE SET connected = excluded.connected, known_since_ms = excluded.known_since_ms,"
            + " last_seen_ms = excluded.last_seen_ms,"
            + " site = excluded.site, cpu = excluded.cpu, memory = excluded.memory, fullest_disk = excluded.fullest_disk,"
            + " fullest_mount = excluded.fullest_mount, revision = excluded.revision"
            + " WHERE fleet_presence.node_id = excluded.node_id";

    /** What a read found: the rows written by other nodes since the last read, and the revision to read from next. */
    public record Changes(long revision, List<Presence> rows) {
    }

    private final Store store;

    public PresenceStore(Store store) {
        this.store = store;
    }

    /** Whether the store answers (false from a failed call or probe until a probe succeeds again). */
    public boolean available() {
        return store.available();
    }

    /** The store, as its log lines and messages name it. */
    public String describe() {
        return store.describe();
    }

    /**
     * Claims {@code hello}'s agent for {@code nodeId} and returns its stored
     * ledger, or empty when another node that is alive (heard from at or
     * after {@code aliveSinceMs}) still holds it connected and {@code force}
     * is false: that node has not released it yet, and its ledger is not
     * final until it does.
     */
    public Optional<Map<Long, Long>> claim(String nodeId, Hello hello, String site, long knownSinceMs, long nowMs, long aliveSinceMs,
                                           boolean force) {
        String agentId = hello.getAgentId();
        return store.write(c -> {
            Optional<String> holder = Sql.one(c, "SELECT p.node_id FROM fleet_presence p JOIN console_nodes n ON n.node_id = p.node_id"
                    + " WHERE p.agent_id = ? AND p.connected = 1 AND p.node_id <> ? AND n.last_seen_ms >= ?",
                    rs -> rs.getString(1), agentId, nodeId, aliveSinceMs);
            if (holder.isPresent() && !force) {
                return Optional.empty();
            }
            long revision = nextRevision(c);
            Sql.update(c, "INSERT INTO fleet_presence (agent_id, node_id, connected, connected_at_ms, known_since_ms, last_seen_ms,"
                    + " hello, site, cpu, memory, fullest_disk, fullest_mount, revision)"
                    + " VALUES (?, ?, 1, ?, ?, ?, ?, ?, NULL, NULL, NULL, '', ?)"
                    + " ON CONFLICT (agent_id) DO UPDATE SET node_id = excluded.node_id, connected = 1,"
                    + " connected_at_ms = excluded.connected_at_ms, last_seen_ms = excluded.last_seen_ms, hello = excluded.hello,"
                    + " site = excluded.site, cpu = NULL, memory = NULL, fullest_disk = NULL, fullest_mount = '',"
                    + " revision = excluded.revision",
                    agentId, nodeId, nowMs, knownSinceMs, nowMs, Base64.getEncoder().encodeToString(hello.toByteArray()), site, revision);
            Map<Long, Long> ledger = new TreeMap<>();
            List<long[]> rows = Sql.list(c, "SELECT boot_epoch, settled_through FROM agent_ledgers WHERE agent_id = ?"
                    + " ORDER BY boot_epoch DESC", rs -> new long[] {rs.getLong(1), rs.getLong(2)}, agentId);
            for (long[] r : rows) {
                if (ledger.size() < EPOCHS_KEPT) {
                    ledger.put(r[0], r[1]);
                } else {
                    Sql.update(c, "DELETE FROM agent_ledgers WHERE agent_id = ? AND boot_epoch = ?", agentId, r[0]);
                }
            }
            return Optional.of(ledger);
        });
    }

    /**
     * Writes this node's rows in one batch, only where the agent is still
     * this node's (a newer claim by another node wins), with their ledgers,
     * and says the node is alive.
     */
    public void write(String nodeId, List<Presence> rows, long nowMs) {
        store.write(c -> {
            Sql.update(c, "UPDATE console_nodes SET last_seen_ms = ? WHERE node_id = ?", nowMs, nodeId);
            if (rows.isEmpty()) {
                return null;
            }
            long revision = nextRevision(c);
            for (Presence p : rows) {
                Sql.update(c, WRITE, p.agentId(), nodeId, p.connected() ? 1 : 0, nowMs, p.knownSince().toEpochMilli(),
                        p.lastSeen() == null ? null : p.lastSeen().toEpochMilli(), p.site(), Sql.realOrNull(p.cpu()), Sql.realOrNull(p.memory()),
                        Sql.realOrNull(p.fullestDisk()), p.fullestMount(), revision);
                for (Map.Entry<Long, Long> e : p.settledThrough().entrySet()) {
                    Sql.update(c, "INSERT INTO agent_ledgers (agent_id, boot_epoch, settled_through, updated_at_ms) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (agent_id, boot_epoch) DO UPDATE SET settled_through = excluded.settled_through,"
                            + " updated_at_ms = excluded.updated_at_ms WHERE agent_ledgers.settled_through < excluded.settled_through",
                            p.agentId(), e.getKey(), e.getValue(), nowMs);
                }
            }
            return null;
        });
    }

    /** A node starting again: the agents the store still says are connected to it are not (they reconnect). */
    public int releaseAll(String nodeId) {
        return store.write(c -> {
            long revision = nextRevision(c);
            return Sql.update(c, "UPDATE fleet_presence SET connected = 0, revision = ? WHERE node_id = ? AND connected = 1",
                    revision, nodeId);
        });
    }

    /** Rows other nodes wrote after {@code revision}, oldest first (without their Hellos: {@link #hellos}). */
    public Changes since(long revision, String nodeId) {
        return store.read(c -> {
            long[] newest = {revision};
            List<Presence> rows = Sql.list(c, "SELECT " + COLUMNS + " FROM fleet_presence WHERE revision > ? ORDER BY revision",
                    rs -> {
                        newest[0] = Math.max(newest[0], rs.getLong("revision"));
                        return row(rs);
                    }, revision);
            rows.removeIf(p -> p.nodeId().equals(nodeId));
            return new Changes(newest[0], rows);
        });
    }

    /** The Hellos stored for {@code agentIds}; an unreadable one is left out. */
    public Map<String, Hello> hellos(Collection<String> agentIds) {
        if (agentIds.isEmpty()) {
            return Map.of();
        }
        return store.read(c -> {
            Map<String, Hello> out = new HashMap<>();
            for (String id : agentIds) {
                for (String h : Sql.list(c, "SELECT hello FROM fleet_presence WHERE agent_id = ? AND hello IS NOT NULL",
                        rs -> rs.getString(1), id)) {
                    try {
                        out.put(id, Hello.parseFrom(Base64.getDecoder().decode(h)));
                    } catch (InvalidProtocolBufferException | IllegalArgumentException unreadable) {
                        // listed without its facts, as FleetStore does
                    }
                }
            }
            return out;
        });
    }

    /** Nodes heard from at or after {@code sinceMs}. */
    public Set<String> aliveNodes(long sinceMs) {
        return store.read(c -> new HashSet<>(Sql.list(c, "SELECT node_id FROM console_nodes WHERE last_seen_ms >= ?",
                rs -> rs.getString(1), sinceMs)));
    }

    /** The agent's ledger as stored (per boot epoch, settled through). */
    public Map<Long, Long> ledger(String agentId) {
        return store.read(c -> {
            Map<Long, Long> out = new TreeMap<>();
            Sql.list(c, "SELECT boot_epoch, settled_through FROM agent_ledgers WHERE agent_id = ?",
                    rs -> out.put(rs.getLong(1), rs.getLong(2)), agentId);
            return out;
        });
    }

    private static long nextRevision(Connection c) throws SQLException {
        Sql.update(c, "INSERT INTO fleet_presence_clock (id, revision) VALUES (1, 1)"
                + " ON CONFLICT (id) DO UPDATE SET revision = fleet_presence_clock.revision + 1");
        return Sql.one(c, "SELECT revision FROM fleet_presence_clock WHERE id = 1", rs -> rs.getLong(1)).orElseThrow();
    }

    private static Presence row(ResultSet rs) throws SQLException {
        Long lastSeen = Sql.longOrNull(rs, "last_seen_ms");
        return new Presence(rs.getString("agent_id"), rs.getString("node_id"), rs.getInt("connected") == 1,
                rs.getLong("connected_at_ms"), Instant.ofEpochMilli(rs.getLong("known_since_ms")),
                lastSeen == null ? null : Instant.ofEpochMilli(lastSeen), null, rs.getString("site"),
                Sql.floatOrNaN(rs, "cpu"), Sql.floatOrNaN(rs, "memory"), Sql.floatOrNaN(rs, "fullest_disk"), rs.getString("fullest_mount"),
                Map.of());
    }
}

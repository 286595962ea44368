package io.firstline.console.fleet;

import com.google.protobuf.InvalidProtocolBufferException;
import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import io.firstline.proto.Hello;
import io.firstline.proto.Inventory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fleet_agents} table (migration V80): each agent's last facts and
 * last-seen time. Hello and inventory are kept as base64 protobuf and written
 * only when they changed; the rest of a row is small and rewritten on each save.
 */
public final class FleetStore {
    private static final Logger log = LoggerFactory.getLogger(FleetStore.class);
    private static final String UPSERT = "INSERT INTO fleet_agents (agent_id, site, hostname, hello, inventory, known_since_ms,"
            + " last_seen_ms, cpu, memory, fullest_disk, fullest_mount, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (agent_id) DO UPDATE SET site = excluded.site, hostname = excluded.hostname,"
            + " hello = COALESCE(excluded.hello, fleet_agents.hello), inventory = COALESCE(excluded.inventory, fleet_agents.inventory),"
            + " last_seen_ms = COALESCE(excluded.last_seen_ms, fleet_agents.last_seen_ms), cpu = excluded.cpu,"
            + " memory = excluded.memory, fullest_disk = excluded.fullest_disk, fullest_mount = excluded.fullest_mount,"
            + " updated_at_ms = excluded.updated_at_ms";

    private final Store store;

    public FleetStore(Store store) {
        this.store = store;
    }

    /** Every stored agent. A row whose Hello or inventory cannot be read keeps the rest of its facts. */
    public List<StoredAgent> load() {
        return store.read(c -> Sql.list(c, "SELECT * FROM fleet_agents ORDER BY agent_id", FleetStore::row));
    }

    /** Writes {@code rows} in one transaction. */
    public void save(List<StoredAgent> rows, long nowMs) {
        if (rows.isEmpty()) {
            return;
        }
        List<Object[]> args = new ArrayList<>(rows.size());
        for (StoredAgent a : rows) {
            args.add(upsert(a, nowMs));
        }
        // One statement compiled for the whole save, not one per agent (that compiling was half of the saving's CPU).
        store.write(c -> {
            Sql.batch(c, UPSERT, args);
            return null;
        });
    }

    private static Object[] upsert(StoredAgent a, long nowMs) {
        return new Object[] {a.id(), a.site(), a.hostname(), a.hello() == null ? null : encode(a.hello().toByteArray()),
                a.inventory() == null ? null : encode(a.inventory().toByteArray()), a.knownSince().toEpochMilli(),
                a.lastSeen() == null ? null : a.lastSeen().toEpochMilli(), Sql.realOrNull(a.cpu()), Sql.realOrNull(a.memory()),
                Sql.realOrNull(a.fullestDisk()), a.fullestMount(), nowMs};
    }

    private static StoredAgent row(ResultSet rs) throws SQLException {
        String id = rs.getString("agent_id");
        Hello hello = null;
        Inventory inventory = null;
        try {
            String h = rs.getString("hello");
            hello = h == null ? null : Hello.parseFrom(Base64.getDecoder().decode(h));
            String i = rs.getString("inventory");
            inventory = i == null ? null : Inventory.parseFrom(Base64.getDecoder().decode(i));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            log.warn("the stored facts of agent {} are unreadable ({}); it is listed without them until it reconnects", id, e.toString());
        }
        Long lastSeen = Sql.longOrNull(rs, "last_seen_ms");
        return new StoredAgent(id, rs.getString("site"), hello, inventory, Instant.ofEpochMilli(rs.getLong("known_since_ms")),
                lastSeen == null ? null : Instant.ofEpochMilli(lastSeen), Sql.floatOrNaN(rs, "cpu"), Sql.floatOrNaN(rs, "memory"),
                Sql.floatOrNaN(rs, "fullest_disk"), rs.getString("fullest_mount"));
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }


}

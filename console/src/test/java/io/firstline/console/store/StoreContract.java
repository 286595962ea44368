package io.firstline.console.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do. The SQLite store runs it; a PostgreSQL
 * store extends it with its own {@link #open} and {@link #reopen}.
 */
public abstract class StoreContract {
    /** A fresh, migrated, empty store. */
    protected abstract Store open();

    /** Closes {@code store} and opens the same database again. */
    protected abstract Store reopen(Store store);

    private static long insertTicketEvent(Store s, String kind) {
        return s.write(c -> {
            long ticket = Sql.insert(c, "INSERT INTO tickets (fault_key, agent_id, rule_id, resource, severity, state, title,"
                            + " description, user_text, fault_active, opened_at_ms, updated_at_ms)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    "a/r/" + kind, "a", "r", kind, "warning", "resolved", "t", "d", "u", false, 1L, 1L);
            Sql.insert(c, "INSERT INTO ticket_events (ticket_id, at_ms, kind, actor, detail) VALUES (?, ?, ?, ?, ?)",
                    ticket, 2L, kind, "test", "{}");
            return ticket;
        });
    }

    @Test
    void migratesToTheCurrentSchema() {
        try (Store s = open()) {
            assertTrue(Integer.parseInt(s.schemaVersion()) >= 1, s.schemaVersion());
            assertEquals(0L, (long) s.read(c -> Sql.one(c, "SELECT COUNT(*) FROM tickets", rs -> rs.getLong(1)).orElseThrow()));
        }
    }

    @Test
    void committedWritesSurviveReopening() {
        Store s = open();
        long id = insertTicketEvent(s, "disk");
        s = reopen(s);
        try (Store again = s) {
            List<String> kinds = again.read(c -> Sql.list(c, "SELECT kind FROM ticket_events WHERE ticket_id = ?",
                    rs -> rs.getString(1), id));
            assertEquals(List.of("disk"), kinds);
        }
    }

    @Test
    void aFailingWriteLeavesNothingBehind() {
        try (Store s = open()) {
            assertThrows(IllegalStateException.class, () -> s.write(c -> {
                Sql.insert(c, "INSERT INTO maintenance_windows (scope, scope_value, starts_at_ms, ends_at_ms, reason, created_by)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", "agent", "a", 1L, 2L, "r", "me");
                throw new IllegalStateException("boom");
            }));
            StoreException e = assertThrows(StoreException.class, () -> s.write(c ->
                    Sql.update(c, "INSERT INTO no_such_table VALUES (?)", 1)));
            assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
            assertEquals(0L, (long) s.read(c -> Sql.one(c, "SELECT COUNT(*) FROM maintenance_windows", rs -> rs.getLong(1)).orElseThrow()));
        }
    }

    @Test
    void theSecondLiveTicketForAFaultKeyIsRefused() {
        try (Store s = open()) {
            String sql = "INSERT INTO tickets (fault_key, agent_id, rule_id, resource, severity, state, title, description,"
                    + " user_text, fault_active, opened_at_ms, updated_at_ms) VALUES (?, 'a', 'r', '', 'warning', ?, 't', 'd', 'u', 1, 1, 1)";
            s.write(c -> Sql.insert(c, sql, "k", "open"));
            StoreException dup = assertThrows(StoreException.class, () -> s.write(c -> Sql.insert(c, sql, "k", "acknowledged")));
            assertTrue(dup.isUniqueViolation(), dup.getMessage());
            s.write(c -> Sql.insert(c, sql, "k", "closed"));
        }
    }

    @Test
    void concurrentWritersAreSerialisedAndAllCommitted() throws Exception {
        try (Store s = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            insertTicketEvent(s, thread + "-" + i);
                            s.read(c -> Sql.one(c, "SELECT COUNT(*) FROM tickets", rs -> rs.getLong(1)));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(100L, (long) s.read(c -> Sql.one(c, "SELECT COUNT(*) FROM ticket_events", rs -> rs.getLong(1)).orElseThrow()));
        }
    }

}

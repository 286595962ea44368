package io.firstline.console.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The store contract on PostgreSQL, plus what only a server store does. */
class PostgresStoreTest extends StoreContract {
    private StoreSettings settings;

    @Override
    protected Store open() {
        settings = TestPostgres.freshSchema();
        return PostgresStore.open(settings);
    }

    @Override
    protected Store reopen(Store store) {
        store.close();
        return PostgresStore.open(settings);
    }

    @Test
    void timesAndIdsAreSixtyFourBitsAndTheDialectSaysSo() {
        try (Store s = open()) {
            assertEquals("postgresql", s.dialect());
            List<String> types = s.read(c -> Sql.list(c, "SELECT data_type FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND table_name = 'tickets' AND column_name IN ('id', 'opened_at_ms')",
                    rs -> rs.getString(1)));
            assertEquals(List.of("bigint", "bigint"), types);
            long far = 4_102_444_800_000L; // 2100-01-01 does not fit in 32 bits
            long id = s.write(c -> Sql.insert(c, "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                    far, "t", "a", "s", "{}"));
            assertEquals(far, (long) s.read(c -> Sql.one(c, "SELECT at_ms FROM audit_log WHERE id = ?", rs -> rs.getLong(1), id)
                    .orElseThrow()));
        }
    }

    @Test
    void anUnreachableDatabaseIsNamedWithTheSettingToCheck() {
        StoreException e = assertThrows(StoreException.class,
                () -> PostgresStore.open(StoreSettings.postgresql("jdbc:postgresql://127.0.0.1:1/nowhere?password=secret", "nobody")));
        assertTrue(e.getMessage().contains("jdbc:postgresql://127.0.0.1:1/nowhere"), e.getMessage());
        assertTrue(e.getMessage().contains("store.url"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void aConsoleOlderThanTheSchemaRefusesToJoin() {
        try (Store s = open()) {
            s.write(c -> Sql.update(c, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (9999, '9999', 'from a newer console', 'SQL',"
                    + " 'V9999__newer.sql', 0, 'test', 1, true)"));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PostgresStore.open(settings));
        assertTrue(e.getMessage().contains("newer than this console knows"), e.getMessage());
        assertTrue(e.getMessage().contains("9999"), e.getMessage());
    }

    @Test
    void twoNodesMigratingAtOnceMakeOneSchema() throws Exception {
        StoreSettings shared = TestPostgres.freshSchema();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> PostgresStore.open(shared));
            var b = pool.submit(() -> PostgresStore.open(shared));
            try (Store one = a.get(); Store two = b.get()) {
                assertEquals(one.schemaVersion(), two.schemaVersion());
            }
        } finally {
            pool.shutdown();
        }
    }
}

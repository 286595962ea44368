package io.firstline.console.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A store made by a build that had V150-V191 but not yet V130 (diagnostics
 * landed after them): it starts, and gets V130 late; a missing migration
 * not known to be safe late is refused by name instead.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class LateMigrationTest {
    @Parameter
    StoreKind storeKind;
    @TempDir
    Path dir;

    /** Turns the store back into what a build without {@code version} left: its rows in the history gone, its tables too. */
    private void withoutMigration(String version, String... tables) {
        try (Store s = storeKind.open(dir)) {
            s.write(c -> {
                for (String t : tables) {
                    Sql.update(c, "DROP TABLE " + t);
                }
                return Sql.update(c, "DELETE FROM flyway_schema_history WHERE version = ?", version);
            });
        }
    }

    private static List<String> applied(Store s) {
        return s.read(c -> Sql.list(c, "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank",
                rs -> rs.getString(1)));
    }

    @Test
    void aStoreMadeBeforeDiagnosticsLandedStartsAndGetsThem() {
        withoutMigration("130", "diagnostic_chunks", "diagnostics");
        try (Store s = storeKind.open(dir)) {
            List<String> versions = applied(s);
            assertEquals("130", versions.get(versions.size() - 1), "V130 applied last, after the later ones: " + versions);
            String latest = versions.stream().max(java.util.Comparator.comparingInt(Integer::parseInt)).orElseThrow();
            assertTrue(Integer.parseInt(latest) > 130, "later versions are applied: " + versions);
            long id = s.write(c -> Sql.insert(c, "INSERT INTO diagnostics (agent_id, action, params, requested_by, state, timeout_ms,"
                    + " created_at_ms) VALUES ('a', 'ping', '{}', 'admin', 'pending', 1000, 1)"));
            assertEquals(1, (long) s.read(c -> Sql.one(c, "SELECT COUNT(*) FROM diagnostics WHERE id = ?", rs -> rs.getLong(1), id)
                    .orElseThrow()));
            assertEquals(latest, s.schemaVersion(), "the store reports its latest version, not the one applied last");
        }
        try (Store again = storeKind.open(dir)) {
            assertEquals(applied(again).stream().filter("130"::equals).count(), 1L, "applied once, not again on the next start");
        }
    }

    @Test
    void anotherMissingMigrationIsRefusedByName() {
        withoutMigration("100");
        RuntimeException e = assertThrows(RuntimeException.class, () -> storeKind.open(dir).close());
        assertTrue(e.getMessage().contains("lacks migration(s) V100"), e.getMessage());
        assertTrue(e.getMessage().contains("not known to be safe to apply late"), e.getMessage());
    }
}

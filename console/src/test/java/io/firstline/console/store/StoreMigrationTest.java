package io.firstline.console.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * migrate-store's table list is the schema's: a migration that adds a table
 * fails here until {@link StoreMigration#TABLES} (or, with its reason,
 * {@link StoreMigration#NOT_COPIED}) names it, and the list keeps every
 * table after the tables it references.
 */
class StoreMigrationTest {
    @TempDir
    Path dir;

    private static Set<String> copied(Set<String> tables) {
        Set<String> out = new TreeSet<>(tables);
        out.removeAll(StoreMigration.NOT_COPIED);
        return out;
    }

    @Test
    void theTableListIsEveryTableBothStoresMake() {
        Set<String> listed = new TreeSet<>(StoreMigration.TABLES);
        assertEquals(StoreMigration.TABLES.size(), listed.size(), "no table listed twice");
        try (Store sqlite = SqliteStore.open(dir)) {
            assertEquals(listed, copied(sqlite.read(StoreMigration::tables)),
                    "a table the SQLite migrations make is missing from StoreMigration.TABLES (or one listed is not made)");
        }
        try (Store pg = PostgresStore.open(TestPostgres.freshSchema())) {
            assertEquals(listed, copied(pg.read(StoreMigration::tables)),
                    "a table the PostgreSQL migrations make is missing from StoreMigration.TABLES (or one listed is not made)");
        }
    }

    @Test
    void everyTableComesAfterTheTablesItReferences() {
        List<String[]> references;
        try (Store pg = PostgresStore.open(TestPostgres.freshSchema())) {
            references = pg.read(c -> Sql.list(c, "SELECT tc.table_name, ccu.table_name FROM information_schema.table_constraints tc"
                    + " JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name"
                    + " AND ccu.constraint_schema = tc.constraint_schema"
                    + " WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}));
        }
        assertTrue(references.size() >= 10, "the schema's foreign keys were found: " + references.size());
        for (String[] r : references) {
            int from = StoreMigration.TABLES.indexOf(r[0]);
            int to = StoreMigration.TABLES.indexOf(r[1]);
            assertTrue(to >= 0 && to <= from, r[0] + " references " + r[1] + ", so it must come after it in StoreMigration.TABLES");
        }
    }
}

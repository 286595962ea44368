package io.firstline.console.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store open() {
        return SqliteStore.open(dir);
    }

    @Override
    protected Store reopen(Store store) {
        store.close();
        return SqliteStore.open(dir);
    }

    @Test
    void usesWalWithFullSyncInAFileInTheDataDirectory() {
        try (Store s = open()) {
            assertTrue(Files.exists(dir.resolve(SqliteStore.FILE_NAME)));
            assertEquals("wal", (String) s.write(c -> Sql.one(c, "PRAGMA journal_mode", rs -> rs.getString(1)).orElseThrow()));
            // 2 = FULL
            assertEquals(2, (int) s.write(c -> Sql.one(c, "PRAGMA synchronous", rs -> rs.getInt(1)).orElseThrow()));
            assertEquals(1, (int) s.read(c -> Sql.one(c, "PRAGMA foreign_keys", rs -> rs.getInt(1)).orElseThrow()));
        }
    }
}

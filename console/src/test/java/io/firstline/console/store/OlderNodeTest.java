package io.firstline.console.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.cli.CliSupport.UserError;
import io.firstline.console.Console;
import io.firstline.console.config.ConsoleConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console node older than the shared store's schema (the others were
 * upgraded) refuses to start with one line saying what to do, and changes
 * nothing in the store on its way out.
 */
class OlderNodeTest {
    @TempDir
    Path dir;

    private static ConsoleConfig node(Path data, StoreSettings store) {
        return ConsoleConfig.defaults(data).withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)).withStore(store);
    }

    private static long historyRows(StoreSettings store) throws Exception {
        try (Connection c = PostgresStore.connect(store)) {
            return Sql.one(c, "SELECT COUNT(*) FROM flyway_schema_history", rs -> rs.getLong(1)).orElseThrow();
        }
    }

    @Test
    void aNodeOlderThanTheSharedSchemaRefusesToJoin() throws Exception {
        StoreSettings store = TestPostgres.freshSchema();
        Console.start(node(dir.resolve("a"), store)).close();
        try (Connection c = PostgresStore.connect(store); Statement st = c.createStatement()) {
            // What a newer node's first start leaves: a migration this build does not have.
            st.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                    + " installed_by, execution_time, success) VALUES (9999, '9999', 'from a newer console', 'SQL',"
                    + " 'V9999__newer.sql', 0, 'test', 1, true)");
        }
        long rows = historyRows(store);
        UserError e = assertThrows(UserError.class, () -> Console.start(node(dir.resolve("a"), store)).close());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("has schema version 9999, newer than this console knows"), e.getMessage());
        assertTrue(e.getMessage().contains("run the same Firstline version on every node (upgrade this one) before it joins"),
                e.getMessage());
        assertEquals(rows, historyRows(store), "the refused node migrated nothing");
    }
}

package io.firstline.console.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL store losing its database for real (a TCP proxy between
 * console and server, cut and restored): writes fail instead of pretending,
 * /healthz answers 503 and firstline_store_up is 0, and both recover by
 * themselves when the database is back; what was committed before is there.
 */
class StoreOutageTest {
    @TempDir
    Path dir;

    private static StoreSettings viaProxy(StoreSettings direct, TcpProxy proxy) {
        return StoreSettings.postgresql(direct.url().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port()), direct.user());
    }

    private static long auditRows(Store s) {
        return s.read(c -> Sql.one(c, "SELECT COUNT(*) FROM audit_log", rs -> rs.getLong(1)).orElseThrow());
    }

    @Test
    void aLostDatabaseFailsWritesShowsInHealthAndMetricsAndRecoversByItself() throws Exception {
        StoreSettings direct = TestPostgres.freshSchema();
        assertTrue(direct.url().contains("127.0.0.1:5432"), "the proxy test expects the server on 127.0.0.1:5432: " + direct.url());
        try (TcpProxy proxy = new TcpProxy(5432);
             Console console = Console.start(ConsoleConfig.defaults(dir).withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                     .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)).withStore(viaProxy(direct, proxy)))) {
            String base = "http://127.0.0.1:" + console.httpPort();
            Store store = console.store();
            assertEquals(200, TestSupport.get(base + "/healthz").status());
            assertTrue(TestSupport.get(base + "/metrics").body().contains("firstline_store_up 1.0"));
            store.write(c -> Sql.update(c, "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (1, 't', 'before', 's', '{}')"));
            long before = auditRows(store);

            proxy.cut();
            assertThrows(StoreException.class, () -> store.write(c -> Sql.update(c,
                    "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (2, 't', 'during', 's', '{}')")));
            await().atMost(Duration.ofSeconds(10)).until(() -> TestSupport.get(base + "/healthz").status() == 503);
            assertTrue(TestSupport.get(base + "/healthz").body().contains("store unavailable"));
            assertTrue(TestSupport.get(base + "/metrics").body().contains("firstline_store_up 0.0"));

            proxy.restore();
            await().atMost(Duration.ofSeconds(15)).until(() -> TestSupport.get(base + "/healthz").status() == 200);
            assertTrue(TestSupport.get(base + "/metrics").body().contains("firstline_store_up 1.0"));
            assertEquals(before, auditRows(store), "the failed write left nothing; the committed one is there");
            store.write(c -> Sql.update(c, "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (3, 't', 'after', 's', '{}')"));
            assertEquals(before + 1, auditRows(store));
        }
    }
}

package io.firstline.console.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backups docs/operations.md describes, restored for real: the embedded
 * store copied with {@code sqlite3 .backup} while the console runs, and a
 * PostgreSQL store with {@code pg_dump -Fc} and {@code pg_restore} into a new
 * database. Each restored console serves the tickets, users and API token of
 * the original and numbers new tickets after the restored ones.
 */
class BackupRestoreTest {
    @TempDir
    Path dir;
    private final List<StoreSettings> databases = new ArrayList<>();

    @AfterEach
    void dropDatabases() {
        databases.forEach(TestPostgres::dropDatabase);
    }

    private static ConsoleConfig console(Path data, StoreSettings store) {
        return ConsoleConfig.defaults(data).withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)).withStore(store);
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }

    /** What a restore must bring back. */
    private record Made(String token, long ticket) {
    }

    /** A ticket with a reply and a user, made through the API of a running console. */
    private static Made someWork(Console console) {
        String base = "http://127.0.0.1:" + console.httpPort();
        TestSupport.Auth admin = TestSupport.adminToken(console);
        assertEquals(201, TestSupport.post(base + "/api/users", admin, "{\"username\":\"erin\",\"role\":\"engineer\"}").status());
        long ticket = TestSupport.post(base + "/api/tickets", admin, "{\"title\":\"Backed up\",\"severity\":\"info\"}")
                .json().path("id").asLong();
        assertEquals(200, TestSupport.post(base + "/api/tickets/" + ticket + "/reply", admin,
                "{\"text\":\"kept in the backup\",\"public\":true}").status());
        return new Made(admin.value().substring("Bearer ".length()), ticket);
    }

    /** The restored console knows the user, the ticket and its timeline, takes the old token, and numbers on. */
    private static void assertRestored(Console console, Made made) {
        String base = "http://127.0.0.1:" + console.httpPort();
        TestSupport.Auth admin = TestSupport.bearer(made.token());
        assertTrue(TestSupport.get(base + "/api/users", admin).body().contains("\"erin\""));
        String ticket = TestSupport.get(base + "/api/tickets/" + made.ticket(), admin).body();
        assertTrue(ticket.contains("kept in the backup"), ticket);
        long next = TestSupport.post(base + "/api/tickets", admin, "{\"title\":\"After the restore\",\"severity\":\"info\"}")
                .json().path("id").asLong();
        assertTrue(next > made.ticket(), next + " after " + made.ticket());
    }

    /** The files of the data directory that are not in the store: the CA agents pin, and the node's id. */
    private static void copyDataDirFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to.resolve("pki"));
        try (var pki = Files.list(from.resolve("pki"))) {
            for (Path f : pki.toList()) {
                Files.copy(f, to.resolve("pki").resolve(f.getFileName()));
            }
        }
        Files.copy(from.resolve("console-id"), to.resolve("console-id"));
    }

    @Test
    void theEmbeddedStoreBacksUpWhileRunningAndRestores() throws Exception {
        Path sqlite3 = TestSupport.requireTool("sqlite3", "sqlite3");
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup/firstline.db");
        Files.createDirectories(backup.getParent());
        Made made;
        try (Console console = Console.start(console(data, StoreSettings.EMBEDDED))) {
            made = someWork(console);
            run(sqlite3.toString(), data.resolve(SqliteStore.FILE_NAME).toString(), ".backup " + backup);
        }
        Path restored = dir.resolve("restored");
        copyDataDirFiles(data, restored);
        Files.copy(backup, restored.resolve(SqliteStore.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        try (Console console = Console.start(console(restored, StoreSettings.EMBEDDED))) {
            assertRestored(console, made);
        }
    }

    @Test
    void aPostgresqlStoreDumpsAndRestoresIntoANewDatabase() throws Exception {
        Path pgDump = TestSupport.requireTool("pg_dump", "postgresql-client");
        Path pgRestore = TestSupport.requireTool("pg_restore", "postgresql-client");
        StoreSettings original = TestPostgres.freshDatabase();
        databases.add(original);
        Path data = dir.resolve("data");
        Path dump = dir.resolve("firstline.dump");
        Made made;
        try (Console console = Console.start(console(data, original))) {
            made = someWork(console);
            run(pgDump.toString(), "-Fc", "-f", dump.toString(), "--dbname=" + libpq(original));
        }
        StoreSettings copy = TestPostgres.freshDatabase();
        databases.add(copy);
        run(pgRestore.toString(), "--no-owner", "--exit-on-error", "--dbname=" + libpq(copy), dump.toString());
        try (Console console = Console.start(console(data, copy))) {
            assertRestored(console, made);
        }
    }

    /** The libpq connection URI of a test database (pg_dump and pg_restore do not take JDBC URLs). */
    private static String libpq(StoreSettings s) {
        String hostAndDb = s.describe().substring("jdbc:postgresql://".length());
        return "postgresql://" + s.user() + "@" + hostAndDb;
    }
}

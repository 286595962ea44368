package io.firstline.console.store;

import static org.junit.jupiter.api.Assertions.fail;

import io.firstline.console.TestSupport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's PostgreSQL for tests (127.0.0.1:5432, database {@code test},
 * trust authentication; {@code FIRSTLINE_TEST_POSTGRES_URL} and
 * {@code FIRSTLINE_TEST_POSTGRES_USER} override). Every test works in a schema
 * of its own, made here and dropped when the test JVM exits; the server itself
 * is shared and never stopped. Where it is not reachable the tests skip with
 * a message, and fail instead under {@value TestSupport#REQUIRE_TOOLS}.
 */
public final class TestPostgres {
    public static final String URL = System.getenv().getOrDefault("FIRSTLINE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("FIRSTLINE_TEST_POSTGRES_USER", "postgres");
    private static final Set<String> SCHEMAS = ConcurrentHashMap.newKeySet();
    private static final Set<String> DATABASES = ConcurrentHashMap.newKeySet();
    private static final Map<Path, String> BY_DIR = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static volatile Boolean reachable;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::dropAll, "drop-test-schemas"));
    }

    private TestPostgres() {
    }

    /** Skips (or, under FIRSTLINE_REQUIRE_TOOLS, fails) the test when PostgreSQL is not reachable. */
    public static void require() {
        if (reachable == null) {
            try (Connection c = admin()) {
                reachable = c.isValid(5);
            } catch (SQLException e) {
                reachable = false;
            }
        }
        if (!reachable) {
            String message = "PostgreSQL is not reachable at " + URL + " as " + USER
                    + " (Debian package 'postgresql', trust authentication for 127.0.0.1); PostgreSQL store test skipped";
            if (System.getenv(TestSupport.REQUIRE_TOOLS) != null) {
                fail(message.replace("PostgreSQL store test skipped", TestSupport.REQUIRE_TOOLS + " is set, so this is a failure"));
            }
            Assumptions.abort(message);
        }
    }

    /** A connection to the test database as the test user (for setting up and for checks). */
    public static Connection admin() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", USER);
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(URL, p);
    }

    /** A new, empty schema of this test JVM, dropped when it exits. */
    public static StoreSettings freshSchema() {
        require();
        String name = "fltest_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        exec("CREATE SCHEMA " + name);
        SCHEMAS.add(name);
        return inSchema(name);
    }

    /**
     * A new, empty database on the test server, for what needs a whole one (migrate-store's target, a restore);
     * drop it with {@link #dropDatabase} (what a test leaves is dropped when the test JVM exits).
     */
    public static StoreSettings freshDatabase() {
        require();
        String name = "fltest_db_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        exec("CREATE DATABASE " + name);
        DATABASES.add(name);
        int slash = URL.indexOf('/', "jdbc:postgresql://".length());
        int query = URL.indexOf('?', slash);
        return StoreSettings.postgresql(URL.substring(0, slash + 1) + name + (query < 0 ? "" : URL.substring(query)), USER);
    }

    /** Drops a database made by {@link #freshDatabase}, ending its connections first. */
    public static void dropDatabase(StoreSettings settings) {
        String url = settings.describe();
        String name = url.substring(url.lastIndexOf('/') + 1);
        if (DATABASES.remove(name)) {
            exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** The schema that belongs to {@code dir} (a test's temporary directory): the same one each time it is asked. */
    public static StoreSettings schemaFor(Path dir) {
        require();
        return inSchema(BY_DIR.computeIfAbsent(dir.toAbsolutePath(), d -> freshSchemaName()));
    }

    private static String freshSchemaName() {
        String url = freshSchema().url();
        return url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
    }

    /** Settings for a store in {@code schema} of the test database. */
    public static StoreSettings inSchema(String schema) {
        return StoreSettings.postgresql(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER);
    }

    /** Drops a schema made by {@link #freshSchema} now (tests that check what an empty database does). */
    public static void drop(StoreSettings settings) {
        String url = settings.url();
        String name = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        exec("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        SCHEMAS.remove(name);
    }

    public static void exec(String sql) {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    private static void dropAll() {
        if (SCHEMAS.isEmpty() && DATABASES.isEmpty()) {
            return;
        }
        try (Connection c = admin(); Statement st = c.createStatement()) {
            for (String s : SCHEMAS) {
                st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
            }
            for (String d : DATABASES) {
                st.execute("DROP DATABASE IF EXISTS " + d + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop the test schemas " + SCHEMAS + " and databases " + DATABASES + ": " + e.getMessage());
        }
    }
}

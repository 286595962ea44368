package io.firstline.console.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store opened to be copied out of: read-only (SQLite refuses
 * every write on the connection), never migrated, so that
 * {@code migrate-store} leaves the source exactly as it found it.
 */
public final class EmbeddedSource implements AutoCloseable {
    private final Path file;
    private final Connection connection;

    private EmbeddedSource(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** What the store's schema lacks from this console's migrations, and what it has that this console does not know. */
    public record Schema(String version, List<String> missing, List<String> unknown) {
        public boolean matches() {
            return missing.isEmpty() && unknown.isEmpty();
        }
    }

    /**
     * Opens {@code DATA/firstline.db} read-only.
     *
     * @throws StoreException when SQLite cannot open it
     */
    public static EmbeddedSource open(Path dataDir) throws IOException {
        Path file = dataDir.resolve(SqliteStore.FILE_NAME).toAbsolutePath();
        SqliteNative.prepare(dataDir);
        try {
            Connection c = config().createConnection(url(file));
            c.setAutoCommit(false); // one read transaction: every table from the same moment
            return new EmbeddedSource(file, c);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + " read-only", e);
        }
    }

    private static SQLiteConfig config() {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.setBusyTimeout(10_000);
        return cfg;
    }

    private static String url(Path file) {
        return "jdbc:sqlite:" + file;
    }

    /** The store's schema against the migrations of this console (read through Flyway's history, read-only). */
    public Schema schema() {
        SQLiteDataSource ds = new SQLiteDataSource(config());
        ds.setUrl(url(file));
        MigrationInfo[] all = Flyway.configure().dataSource(ds).locations(SqliteStore.MIGRATIONS).load().info().all();
        Set<MigrationState> notApplied = Set.of(MigrationState.PENDING, MigrationState.IGNORED);
        Set<MigrationState> notKnown = Set.of(MigrationState.FUTURE_SUCCESS, MigrationState.FUTURE_FAILED,
                MigrationState.MISSING_SUCCESS, MigrationState.MISSING_FAILED, MigrationState.FAILED);
        List<String> missing = versions(all, notApplied);
        List<String> unknown = versions(all, notKnown);
        String version = Arrays.stream(all).filter(m -> m.getState().isApplied() && m.getVersion() != null)
                .map(m -> m.getVersion().getVersion()).reduce((a, b) -> b).orElse("0");
        return new Schema(version, missing, unknown);
    }

    private static List<String> versions(MigrationInfo[] all, Set<MigrationState> states) {
        return Arrays.stream(all).filter(m -> states.contains(m.getState()) && m.getVersion() != null)
                .map(m -> m.getVersion().getVersion()).toList();
    }

    /** The read-only connection, inside one read transaction. */
    public Connection connection() {
        return connection;
    }

    public String describe() {
        return file.toString();
    }

    @Override
    public void close() {
        try {
            connection.rollback();
            connection.close();
        } catch (SQLException e) {
            // read-only: nothing to lose
        }
    }
}

package io.firstline.console.store;

import io.firstline.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite file ({@value #FILE_NAME}) in the data
 * directory, in WAL mode with {@code synchronous=FULL} so that a commit that
 * gates an agent's ack is on disk. One connection writes (SQLite has one
 * writer anyway; {@code BEGIN IMMEDIATE} avoids lock upgrades), another reads
 * and never blocks the writer. The schema comes from the Flyway migrations in
 * {@code db/migration} and, for what only SQLite has, {@code db/sqlite}.
 */
public final class SqliteStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
    public static final String FILE_NAME = "firstline.db";
    /** Portable migrations, then SQLite's own (the knowledge base's FTS5 index). */
    static final String[] MIGRATIONS = {"classpath:db/migration", "classpath:db/sqlite"};

    private final Path file;
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final String schemaVersion;

    private SqliteStore(Path file, Connection writer, Connection reader, String schemaVersion) {
        this.file = file;
        this.writer = writer;
        this.reader = reader;
        this.schemaVersion = schemaVersion;
    }

    /**
     * Opens (creating if needed) the store in {@code dataDir} and migrates its
     * schema. The SQLite native library is loaded from the data directory
     * ({@link SqliteNative}), not the system temp directory, so that a
     * hardened service with a private or noexec /tmp still starts. The
     * database is created 0600 before SQLite opens it; SQLite gives its
     * {@code -wal} and {@code -shm} files the database's mode.
     */
    public static SqliteStore open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            PrivateFiles.directories(dataDir);
            SqliteNative.prepare(dataDir);
            PrivateFiles.touch(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare data directory " + dataDir + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + file;
        String version = migrate(url);
        Connection writer = null;
        try {
            writer = connect(url, SQLiteConfig.TransactionMode.IMMEDIATE);
            Connection reader = connect(url, SQLiteConfig.TransactionMode.DEFERRED);
            return new SqliteStore(file, writer, reader, version);
        } catch (SQLException e) {
            closeQuietly(writer);
            throw new StoreException("cannot open " + file, e);
        }
    }

    private static String migrate(String url) {
        FluentConfiguration cfg = Flyway.configure()
                .dataSource(url + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000", null, null)
                .locations(MIGRATIONS);
        MigrateResult result = SchemaMigrations.migrate(cfg, url.substring("jdbc:sqlite:".length()));
        if (result.migrationsExecuted > 0) {
            log.info("store schema migrated from {} to {}", result.initialSchemaVersion, result.targetSchemaVersion);
        }
        var current = cfg.load().info().current();
        return current == null ? "0" : current.getVersion().getVersion();
    }

    private static Connection connect(String url, SQLiteConfig.TransactionMode mode) throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.enforceForeignKeys(true);
        cfg.setBusyTimeout(10_000);
        cfg.setTransactionMode(mode);
        // Autocommit between calls: sqlite-jdbc begins the next transaction right
        // after a commit when autocommit is off, so an idle console would hold
        // the write lock (and a read snapshot) forever, and the admin commands
        // (token create, agent revoke) could never write from their own process.
        return cfg.createConnection(url);
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        return run(writer, writeLock, work, "write");
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        return run(reader, readLock, work, "read");
    }

    private <T> T run(Connection c, ReentrantLock lock, SqlWork<T> work, String what) {
        lock.lock();
        try {
            try {
                c.setAutoCommit(false); // BEGIN (IMMEDIATE for the writer)
                T result = work.run(c);
                c.setAutoCommit(true); // COMMIT, and no transaction left open
                return result;
            } catch (SQLException e) {
                rollback(c);
                throw new StoreException(what + " on " + file + " failed", e);
            } catch (RuntimeException | Error e) {
                rollback(c);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private static void rollback(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            log.warn("rollback failed", e);
        }
    }

    @Override
    public String dialect() {
        return "sqlite";
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public String schemaVersion() {
        return schemaVersion;
    }

    @Override
    public void close() {
        writeLock.lock();
        readLock.lock();
        try {
            closeQuietly(reader);
            closeQuietly(writer);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            log.warn("closing the store failed", e);
        }
    }
}

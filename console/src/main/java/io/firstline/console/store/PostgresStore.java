package io.firstline.console.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.scanner.Scanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store of several console nodes: one PostgreSQL database reached
 * through a HikariCP pool. Every write runs at SERIALIZABLE isolation, so the
 * read-then-write work the repositories do (look a ticket up, then open one)
 * is as safe across nodes as it is on SQLite's single writer; a transaction
 * PostgreSQL aborts as a serialisation failure is run again, a few times.
 * The schema comes from the portable migrations translated by
 * {@link PortableSql} plus {@code db/postgresql}.
 *
 * <p>A lost database is noticed by the failing calls and by a probe once a
 * second: {@link #available()} turns false (the console's /healthz answers
 * 503) and true again when the probe succeeds. Work that fails meanwhile
 * fails with a {@link StoreException}; nothing is acknowledged for it.
 */
public final class PostgresStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    private static final int ATTEMPTS = 8;

    private final StoreSettings settings;
    private final HikariDataSource pool;
    private final String schemaVersion;
    private final ScheduledExecutorService probe;
    private volatile boolean available = true;

    private PostgresStore(StoreSettings settings, HikariDataSource pool, String schemaVersion) {
        this.settings = settings;
        this.pool = pool;
        this.schemaVersion = schemaVersion;
        this.probe = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "firstline-store-probe");
            t.setDaemon(true);
            return t;
        });
        probe.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Connects, migrates the schema and opens the pool.
     *
     * @throws StoreException when the database cannot be reached, its schema is newer than this console's, or migrating fails
     */
    public static PostgresStore open(StoreSettings settings) {
        if (settings.embedded()) {
            throw new IllegalArgumentException("not a PostgreSQL store: " + settings.describe());
        }
        String password = settings.password();
        checkReachable(settings);
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("firstline-store");
        cfg.setJdbcUrl(settings.url());
        cfg.setUsername(settings.user().isEmpty() ? null : settings.user());
        cfg.setPassword(password.isEmpty() ? null : password);
        cfg.setMaximumPoolSize(10);
        cfg.setMinimumIdle(2);
        cfg.setAutoCommit(false);
        cfg.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
        cfg.setConnectionTimeout(3_000);
        cfg.setValidationTimeout(1_000);
        cfg.setKeepaliveTime(60_000);
        cfg.setInitializationFailTimeout(-1);
        driverDefaults().forEach((k, v) -> cfg.addDataSourceProperty((String) k, v));
        HikariDataSource pool = new HikariDataSource(cfg);
        try {
            String version = migrate(settings, pool);
            return new PostgresStore(settings, pool, version);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Timeouts so that a database that vanishes mid-call fails the call instead of hanging it. */
    private static Properties driverDefaults() {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "firstline-console");
        return p;
    }

    private static void checkReachable(StoreSettings settings) {
        try (Connection c = connect(settings)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new StoreException("cannot reach the PostgreSQL store " + settings.describe()
                    + " (store.url" + (settings.user().isEmpty() ? "" : ", store.user") + " in the configuration)", e);
        }
    }

    /**
     * One plain connection (autocommit, no pool) with the store's driver settings, for checks before opening a store.
     *
     * @throws IllegalArgumentException when the password file cannot be read
     */
    public static Connection connect(StoreSettings settings) throws SQLException {
        String password = settings.password();
        Properties p = driverDefaults();
        if (!settings.user().isEmpty()) {
            p.setProperty("user", settings.user());
        }
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(settings.url(), p);
    }

    private static String migrate(StoreSettings settings, HikariDataSource pool) {
        FluentConfiguration cfg = Flyway.configure().dataSource(pool)
                .locations(TranslatedMigrations.locations().toArray(String[]::new));
        cfg.resourceProvider(new TranslatedMigrations(new Scanner<>(JavaMigration.class, cfg, cfg.getLocations())));
        Flyway flyway = cfg.load();
        MigrateResult result;
        // Nodes starting together migrate one after the other: Flyway's own lock does not cover creating
        // its history table, so two first starts on an empty database could both run V1.
        try (Connection lock = pool.getConnection(); var st = lock.createStatement()) {
            lock.setAutoCommit(true);
            st.execute("SELECT pg_advisory_lock(hashtext('firstline-migrate:' || current_schema()))");
            try {
                result = SchemaMigrations.migrate(cfg, settings.describe());
            } finally {
                st.execute("SELECT pg_advisory_unlock(hashtext('firstline-migrate:' || current_schema()))");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot lock the schema of " + settings.describe() + " for migrating", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("migrating the schema of " + settings.describe() + " failed: " + e.getMessage(), e);
        }
        if (result.migrationsExecuted > 0) {
            log.info("store schema migrated from {} to {}", result.initialSchemaVersion, result.targetSchemaVersion);
        }
        MigrationInfo[] applied = flyway.info().applied();
        String newer = Arrays.stream(applied).filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS)
                .map(m -> m.getVersion().getVersion()).reduce((a, b) -> b).orElse("");
        var current = flyway.info().current();
        String version = current == null ? "0" : current.getVersion().getVersion();
        if (!newer.isEmpty()) {
            throw new IllegalStateException("the database " + settings.describe() + " has schema version " + version
                    + ", newer than this console knows (" + knownVersion(flyway) + "): it is shared with newer console nodes;"
                    + " run the same Firstline version on every node (upgrade this one) before it joins");
        }
        return version;
    }

    private static String knownVersion(Flyway flyway) {
        return Arrays.stream(flyway.info().all()).filter(m -> m.getState() != MigrationState.FUTURE_SUCCESS
                        && m.getState() != MigrationState.FUTURE_FAILED && m.getVersion() != null)
                .map(m -> m.getVersion().getVersion()).reduce((a, b) -> b).orElse("0");
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        return run(work, false);
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        return run(work, true);
    }

    private <T> T run(SqlWork<T> work, boolean readOnly) {
        String what = readOnly ? "read" : "write";
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                try {
                    c.setReadOnly(readOnly);
                    T result = work.run(c);
                    c.commit();
                    available = true;
                    return result;
                } catch (SQLException e) {
                    rollback(c);
                    if (retryable(e) && attempt < ATTEMPTS) {
                        backOff(attempt);
                        continue;
                    }
                    throw e;
                } catch (RuntimeException | Error e) {
                    rollback(c);
                    throw e;
                }
            } catch (SQLException e) {
                if (lostConnection(e)) {
                    markUnavailable(e);
                }
                throw new StoreException(what + " on " + settings.describe() + " failed", e);
            }
        }
    }

    /** Serialisation failures and deadlocks: PostgreSQL rolled the transaction back and it may simply run again. */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    /** The database is gone (connection errors, an administrator's shutdown), not the work wrong. */
    static boolean lostConnection(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException || state == null
                || state.startsWith("08") || state.startsWith("57P") || state.equals("53300");
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed: {}", e.toString());
        }
    }

    private void markUnavailable(SQLException e) {
        if (available) {
            log.error("lost the store {}: {}", settings.describe(), e.getMessage());
        }
        available = false;
    }

    private void probe() {
        try (Connection c = pool.getConnection()) {
            c.setReadOnly(true);
            try (var st = c.createStatement()) {
                st.setQueryTimeout(2);
                st.execute("SELECT 1");
            }
            c.commit();
            if (!available) {
                log.info("the store {} is back", settings.describe());
            }
            available = true;
        } catch (SQLException e) {
            markUnavailable(e);
        } catch (RuntimeException e) {
            log.warn("store probe failed: {}", e.toString());
        }
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public String dialect() {
        return "postgresql";
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    @Override
    public String schemaVersion() {
        return schemaVersion;
    }

    @Override
    public void close() {
        probe.shutdownNow();
        pool.close();
    }
}

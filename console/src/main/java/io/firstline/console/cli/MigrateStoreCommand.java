package io.firstline.console.cli;

import io.firstline.cli.CliSupport;
import io.firstline.cli.CliSupport.UserError;
import io.firstline.console.Console;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.store.DataDirLock;
import io.firstline.console.store.EmbeddedSource;
import io.firstline.console.store.PostgresStore;
import io.firstline.console.store.Sql;
import io.firstline.console.store.SqliteStore;
import io.firstline.console.store.StoreException;
import io.firstline.console.store.StoreMigration;
import io.firstline.console.store.StoreSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code firstline-console migrate-store --to URL}: moves a console from its
 * embedded SQLite store to an empty PostgreSQL database (docs/operations.md,
 * "From SQLite to PostgreSQL"). Refuses, with exit code 2 and one line, a
 * running console, a schema of another version, an unreachable or non-empty
 * target; reads the source read-only and never changes it.
 */
@Command(name = "migrate-store", mixinStandardHelpOptions = true,
        description = {"Copy the console's embedded SQLite store into an empty PostgreSQL database, then print the store:"
                + " section for console.yaml. Stop the console first; the SQLite file is left as it was."})
public final class MigrateStoreCommand implements Runnable {
    @Mixin
    AdminContext.Options source = new AdminContext.Options();

    @Option(names = "--to", required = true, paramLabel = "URL",
            description = "The target database, e.g. jdbc:postgresql://db.example:5432/firstline (empty; its schema is made here).")
    String url;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "", description = "The PostgreSQL user (default: the driver's).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "A file whose first line is the user's password.")
    Path passwordFile;

    @Override
    public void run() {
        ConsoleConfig config = source.console();
        Path dir = config.dataDir();
        if (!config.store().embedded()) {
            throw refused("the configuration already names a PostgreSQL store (" + config.store().describe()
                    + "): migrate-store copies from the embedded SQLite store");
        }
        if (!Console.holdsConsole(dir, StoreSettings.EMBEDDED)) {
            throw refused(dir + " holds no embedded Firstline store (no console-id and " + SqliteStore.FILE_NAME
                    + "): check --data or --config");
        }
        StoreSettings target = target();
        try (DataDirLock lock = lock(dir); EmbeddedSource from = openSource(dir)) {
            EmbeddedSource.Schema schema = from.schema();
            checkSchema(schema);
            checkEmpty(target);
            PrintStream err = System.err;
            err.println("migrate-store: " + from.describe() + " (schema " + schema.version() + ") -> " + target.describe());
            try (PostgresStore to = openTarget(target)) {
                List<String> versions = to.read(MigrateStoreCommand::versions);
                List<String> sourceVersions = Sql.list(from.connection(), "SELECT version FROM flyway_schema_history"
                        + " WHERE version IS NOT NULL AND success = 1 ORDER BY CAST(version AS INTEGER)", rs -> rs.getString(1));
                if (!versions.equals(sourceVersions)) {
                    throw refused("the target's schema (" + versions + ") is not the source's (" + sourceVersions + ")");
                }
                Map<String, Long> copied = StoreMigration.copy(from.connection(), to,
                        (table, done, total) -> err.printf("  %-22s %,d/%,d rows%n", table, done, total));
                verify(copied, StoreMigration.counts(from.connection()), to.read(StoreMigration::counts));
                long rows = copied.values().stream().mapToLong(Long::longValue).sum();
                err.println("migrate-store: copied " + rows + " rows in " + copied.size() + " tables; every table's row count"
                        + " checked against the source");
                printConfig(dir, target);
            }
        } catch (StoreMigration.Refused e) {
            throw refused(e.getMessage());
        } catch (SQLException e) {
            throw new UserError("reading " + dir.resolve(SqliteStore.FILE_NAME) + " failed: " + e.getMessage());
        } catch (StoreException e) {
            throw new UserError("copying failed, nothing was committed to the target: " + e.getMessage());
        }
    }

    private static UserError refused(String message) {
        return new UserError(message, CliSupport.USAGE);
    }

    private StoreSettings target() {
        try {
            return new StoreSettings(url, user, Optional.ofNullable(passwordFile));
        } catch (IllegalArgumentException e) {
            throw refused("--to " + e.getMessage());
        }
    }

    private static DataDirLock lock(Path dir) {
        try {
            return DataDirLock.tryTake(dir, "migrate-store").orElseThrow(() -> refused("the console using " + dir
                    + " is running (" + DataDirLock.holder(dir) + "): stop it first, so that nothing changes while it is copied"));
        } catch (IOException e) {
            throw refused("cannot use data directory " + dir + ": " + e.getMessage());
        }
    }

    private static EmbeddedSource openSource(Path dir) {
        try {
            return EmbeddedSource.open(dir);
        } catch (IOException | StoreException e) {
            throw refused("cannot read " + dir.resolve(SqliteStore.FILE_NAME) + ": " + e.getMessage());
        }
    }

    private static void checkSchema(EmbeddedSource.Schema schema) {
        if (!schema.unknown().isEmpty()) {
            throw refused("the source store has schema version(s) " + schema.unknown() + " this console does not know:"
                    + " run migrate-store from the firstline-console.jar of the version that last ran it");
        }
        if (!schema.missing().isEmpty()) {
            throw refused("the source store lacks this console's schema version(s) " + schema.missing() + ": start the console"
                    + " once with this version (it migrates its store), stop it, then run migrate-store again");
        }
    }

    private static void checkEmpty(StoreSettings target) {
        List<String> full;
        try (Connection c = PostgresStore.connect(target)) {
            full = StoreMigration.tablesWithRows(c);
        } catch (SQLException e) {
            throw refused("cannot reach the target " + target.describe() + (target.user().isEmpty() ? "" : " as " + target.user())
                    + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw refused("--password-file: " + e.getMessage());
        }
        if (!full.isEmpty()) {
            throw refused("the target " + target.describe() + " is not empty (rows in " + String.join(", ", full)
                    + "): migrate-store copies into an empty database only; make a new one (createdb -O firstline firstline)");
        }
    }

    private static PostgresStore openTarget(StoreSettings target) {
        try {
            return PostgresStore.open(target);
        } catch (StoreException | IllegalStateException e) {
            throw refused("cannot prepare the target's schema: " + e.getMessage());
        }
    }

    private static List<String> versions(Connection c) throws SQLException {
        return Sql.list(c, "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL AND success"
                + " ORDER BY CAST(version AS INTEGER)", rs -> rs.getString(1));
    }

    private static void verify(Map<String, Long> copied, Map<String, Long> source, Map<String, Long> target) {
        for (var e : source.entrySet()) {
            long inTarget = target.getOrDefault(e.getKey(), -1L);
            if (inTarget != e.getValue() || copied.getOrDefault(e.getKey(), -1L) != e.getValue().longValue()) {
                throw new UserError("verification failed: " + e.getKey() + " has " + e.getValue() + " rows in the source and "
                        + inTarget + " in the target");
            }
        }
    }

    private static void printConfig(Path dir, StoreSettings target) {
        System.out.println("The store is copied. Keep the data directory " + dir + " (its pki/ holds the CA your agents pin)"
                + " and add to the console's console.yaml:");
        System.out.println();
        System.out.println("store:");
        System.out.println("  url: \"" + target.url() + "\"");
        if (!target.user().isEmpty()) {
            System.out.println("  user: " + target.user());
        }
        target.passwordFile().ifPresent(f -> System.out.println("  passwordFile: " + f.toAbsolutePath()));
        System.out.println();
        System.out.println("then start the console. " + dir.resolve(SqliteStore.FILE_NAME) + " is unchanged: keep it until the"
                + " console runs well on PostgreSQL.");
    }
}

package io.firstline.console.cli;

import io.firstline.cli.CliSupport.UserError;
import io.firstline.console.Console;
import io.firstline.console.config.ConfigLoader;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.console.store.SqliteStore;
import io.firstline.console.store.Store;
import io.firstline.console.store.StoreException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * The data directory an admin command works on ({@code --data}, or the
 * {@code dataDir} of {@code --config}), opened the way the console opens it.
 * SQLite lets these commands run while the console is serving.
 */
final class AdminContext implements AutoCloseable {
    /** The options every admin command shares. */
    static final class Options {
        @Option(names = "--data", paramLabel = "DIR", description = "The console's data directory (default: /var/lib/firstline-console).")
        Path data;

        @Option(names = "--config", paramLabel = "FILE", description = "Take the data directory from this configuration file.")
        Path config;

        Path dataDir() {
            if (data != null) {
                return data;
            }
            if (config != null) {
                try {
                    return ConfigLoader.load(config).dataDir();
                } catch (ConfigLoader.ConfigException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
            }
            return Path.of("/var/lib/firstline-console");
        }
    }

    final Store store;
    final Enrollment enrollment;

    private AdminContext(Store store, Enrollment enrollment) {
        this.store = store;
        this.enrollment = enrollment;
    }

    static AdminContext open(Options options) {
        Path dir = options.dataDir();
        if (!Console.holdsConsole(dir)) {
            // A mistyped --data must not create a second store and CA whose fingerprint no console uses.
            throw new UserError(dir + " holds no Firstline console (no console-id and " + SqliteStore.FILE_NAME
                    + "): check --data or --config; a console creates its data directory on its first start");
        }
        Store store;
        try {
            store = SqliteStore.open(dir);
        } catch (StoreException | UncheckedIOException e) {
            throw new UserError("cannot open the store in " + dir + ": " + e.getMessage());
        }
        try {
            ConsoleCa ca = ConsoleCa.loadOrCreate(dir, Console.consoleId(dir), Clock.systemUTC());
            return new AdminContext(store, new Enrollment(store, ca, Clock.systemUTC()));
        } catch (UncheckedIOException | IllegalStateException e) {
            store.close();
            throw new UserError(e.getMessage());
        }
    }

    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    @Override
    public void close() {
        store.close();
    }
}

package io.firstline.console.cli;

import io.firstline.cli.CliSupport.UserError;
import io.firstline.console.Console;
import io.firstline.console.config.ConfigLoader;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.console.store.SqliteStore;
import io.firstline.console.store.Store;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * The console an admin command works on: the data directory ({@code --data},
 * or the {@code dataDir} of {@code --config}) and the store of
 * {@code --config} (embedded SQLite when it names none, or with
 * {@code --data} alone), opened the way the console opens them. Both stores
 * let these commands run while consoles are serving.
 */
final class AdminContext implements AutoCloseable {
    /** The options every admin command shares. */
    static final class Options {
        @Option(names = "--data", paramLabel = "DIR", description = "The console's data directory (default: /var/lib/firstline-console).")
        Path data;

        @Option(names = "--config", paramLabel = "FILE", description = "Take the data directory and the store from this configuration file.")
        Path config;

        ConsoleConfig console() {
            ConsoleConfig c;
            if (config != null) {
                try {
                    c = ConfigLoader.load(config);
                } catch (ConfigLoader.ConfigException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
            } else {
                c = ConsoleConfig.defaults(Path.of("/var/lib/firstline-console"));
            }
            return data != null ? c.withDataDir(data) : c;
        }
    }

    final Store store;
    final Enrollment enrollment;
    final ConsoleConfig config;

    private AdminContext(Store store, Enrollment enrollment, ConsoleConfig config) {
        this.store = store;
        this.enrollment = enrollment;
        this.config = config;
    }

    static AdminContext open(Options options) {
        ConsoleConfig config = options.console();
        Path dir = config.dataDir();
        if (!Console.holdsConsole(dir, config.store())) {
            // A mistyped --data must not create a second store and CA whose fingerprint no console uses.
            throw new UserError(dir + " holds no Firstline console (no console-id"
                    + (config.store().embedded() ? " and " + SqliteStore.FILE_NAME : "")
                    + "): check --data or --config; a console creates its data directory on its first start");
        }
        Store store = Console.openStore(config);
        try {
            ConsoleCa ca = ConsoleCa.loadOrCreate(dir, Console.consoleId(dir), Clock.systemUTC());
            return new AdminContext(store, new Enrollment(store, ca, Clock.systemUTC()), config);
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

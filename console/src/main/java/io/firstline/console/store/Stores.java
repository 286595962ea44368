package io.firstline.console.store;

import java.nio.file.Path;

/** Opens the store a configuration names: embedded SQLite in the data directory, or PostgreSQL. */
public final class Stores {
    private Stores() {
    }

    /**
     * Opens and migrates the store.
     *
     * @throws StoreException or {@link java.io.UncheckedIOException} when it cannot be opened,
     *         {@link IllegalStateException} when its schema cannot be migrated or is newer than this console's,
     *         {@link IllegalArgumentException} when the password file cannot be read
     */
    public static Store open(StoreSettings settings, Path dataDir) {
        return settings.embedded() ? SqliteStore.open(dataDir) : PostgresStore.open(settings);
    }
}

package io.firstline.console.store;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The stores every repository test runs against, for
 * {@code @ParameterizedClass @MethodSource("io.firstline.console.store.StoreKind#all")}.
 * A test opens its store with {@link #open} on its temporary directory;
 * opening the same directory again opens the same database.
 */
public enum StoreKind {
    SQLITE, POSTGRESQL;

    public static Stream<StoreKind> all() {
        return Stream.of(values());
    }

    /** What a console on this store is configured with, for tests that start consoles. */
    public StoreSettings settings(Path dir) {
        return this == SQLITE ? StoreSettings.EMBEDDED : TestPostgres.schemaFor(dir);
    }

    /** Opens (migrating) the store that belongs to {@code dir}. */
    public Store open(Path dir) {
        return this == SQLITE ? SqliteStore.open(dir) : PostgresStore.open(TestPostgres.schemaFor(dir));
    }

    @Override
    public String toString() {
        return this == SQLITE ? "sqlite" : "postgresql";
    }
}

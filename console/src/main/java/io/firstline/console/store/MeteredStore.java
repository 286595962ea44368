package io.firstline.console.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A store that counts its failures in {@code firstline_store_errors_total{op}}:
 * transactions the database itself refused or lost ({@link StoreException}:
 * disk full, locked, I/O error, connection gone), not the business errors a
 * transaction's own code throws. The console's alert rules watch it.
 */
public final class MeteredStore implements Store {
    private final Store store;
    private final Counter readErrors;
    private final Counter writeErrors;

    public MeteredStore(Store store, MeterRegistry registry) {
        this.store = store;
        this.readErrors = errors(registry, "read");
        this.writeErrors = errors(registry, "write");
    }

    private static Counter errors(MeterRegistry registry, String op) {
        return Counter.builder("firstline.store.errors").tag("op", op)
                .description("Store transactions that failed in the database, by operation").register(registry);
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        try {
            return store.write(work);
        } catch (StoreException e) {
            writeErrors.increment();
            throw e;
        }
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        try {
            return store.read(work);
        } catch (StoreException e) {
            readErrors.increment();
            throw e;
        }
    }

    @Override
    public String dialect() {
        return store.dialect();
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public boolean available() {
        return store.available();
    }

    @Override
    public String schemaVersion() {
        return store.schemaVersion();
    }

    @Override
    public void close() {
        store.close();
    }
}

package io.firstline.console.store;

import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that can be lost, as a PostgreSQL store meets a database that went
 * away: while {@link #lose lost} it reports itself unavailable, and every
 * call waits out a connection timeout (3 s, as the pool's) and then fails;
 * {@link #restore} brings it back. Counts the calls made while lost.
 */
public final class LosableStore implements Store {
    private final Store store;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicInteger callsWhileLost = new AtomicInteger();

    public LosableStore(Store store) {
        this.store = store;
    }

    public void lose() {
        lost.set(true);
    }

    public void restore() {
        lost.set(false);
    }

    /** Reads and writes attempted while the store was lost. */
    public int callsWhileLost() {
        return callsWhileLost.get();
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        return lost.get() ? hang() : store.write(work);
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        return lost.get() ? hang() : store.read(work);
    }

    private <T> T hang() {
        callsWhileLost.incrementAndGet();
        try {
            Thread.sleep(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new StoreException("call on " + describe() + " failed",
                new SQLTransientConnectionException("connection is not available, request timed out after 3000ms"));
    }

    @Override
    public boolean available() {
        return !lost.get();
    }

    @Override
    public String dialect() {
        return store.dialect();
    }

    @Override
    public String describe() {
        return "the test store";
    }

    @Override
    public String schemaVersion() {
        return store.schemaVersion();
    }

    /** Leaves the store it wraps open: its owner closes it. */
    @Override
    public void close() {
    }
}

package io.firstline.console.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The console's durable storage: a relational database reached through JDBC.
 * Feature packages keep their own repositories (tickets, enrollment, users)
 * that run portable, parameterised SQL through {@link #write} and
 * {@link #read}, so that the embedded SQLite store and a later PostgreSQL
 * store pass the same tests ({@code StoreContract} in the tests).
 *
 * <p>A {@link #write} is one transaction: it commits durably (the data is on
 * disk when the call returns) or rolls back when the work throws. Writes are
 * serialised; reads see the last committed write and never block it.
 */
public interface Store extends AutoCloseable {
    /** Work against a connection inside one transaction. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in a write transaction and commits it durably.
     *
     * @throws StoreException when the database fails; the transaction is rolled back
     */
    <T> T write(SqlWork<T> work);

    /** Runs {@code work} in a read-only transaction. */
    <T> T read(SqlWork<T> work);

    /** Which SQL dialect the store speaks ("sqlite", "postgresql"), for the rare statement that differs. */
    String dialect();

    /** Where the data lives, for logs and error messages. */
    String describe();

    /**
     * Whether the database answers now. An embedded store always does; a
     * server store turns false when it loses its database and true again
     * when it returns (the console's /healthz and metrics show it).
     */
    default boolean available() {
        return true;
    }

    /** The highest Flyway migration applied, e.g. "1". */
    String schemaVersion();

    @Override
    void close();
}

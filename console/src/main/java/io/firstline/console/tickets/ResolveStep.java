package io.firstline.console.tickets;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * More work done inside the transaction of a person's resolve, such as
 * recording the knowledge-base article the ticket was resolved with. It runs
 * before anything is written, so throwing leaves the ticket unchanged; what it
 * returns (key, value, key, value ...) goes into the "resolved" timeline
 * entry, and {@link #publicText} (if not empty) becomes a public reply (a
 * "replied" event with {@code public: true}) that the endpoint's user sees.
 */
public interface ResolveStep {
    ResolveStep NONE = (c, t, now) -> List.of();

    List<Object> apply(Connection c, Ticket ticket, Instant now) throws SQLException;

    /** Text to tell the endpoint's user as part of the resolve; empty for none. */
    default String publicText() {
        return "";
    }
}

package io.firstline.console.auth;

import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import io.firstline.console.web.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The audit log: who changed what, when, from where, with what outcome
 * (table {@code audit_log}, shared with enrollment; {@code detail} is a JSON
 * object with {@code outcome} and {@code remote}).
 */
public final class AuditLog {
    /** One audit entry. */
    public record Event(long id, Instant at, String actor, String action, String subject, String detail) {
    }

    private final Store store;
    private final Clock clock;

    public AuditLog(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void record(String actor, String action, String target, String outcome, String remote) {
        String detail = Json.MAPPER.createObjectNode().put("outcome", outcome).put("remote", remote).toString();
        store.write(c -> Sql.insert(c,
                "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                clock.millis(), actor, action, target, detail));
    }

    /** The newest {@code limit} events, newest first. */
    public List<Event> latest(int limit) {
        return store.read(c -> Sql.list(c, "SELECT id, at_ms, actor, action, subject, detail FROM audit_log"
                        + " ORDER BY id DESC LIMIT ?",
                rs -> new Event(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)), limit));
    }
}

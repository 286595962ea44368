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

    /**
     * Records one event. Every field is cut to {@link #MAX_FIELD} characters
     * (the API refuses longer input before it gets here; this is the backstop
     * that keeps a hostile string from reaching the log whole).
     */
    public void record(String actor, String action, String target, String outcome, String remote) {
        String detail = Json.MAPPER.createObjectNode().put("outcome", clip(outcome)).put("remote", clip(remote)).toString();
        store.write(c -> Sql.insert(c,
                "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                clock.millis(), clip(actor), clip(action), clip(target), detail));
    }

    /**
     * Records one event whose detail is more than an outcome (a diagnostic:
     * agent, action, parameters, outcome, bytes, duration); {@code detail}
     * becomes the JSON object of the {@code detail} column.
     */
    public void recordDetail(String actor, String action, String target, java.util.Map<String, Object> detail) {
        String written = Json.write(detail);
        String json = written.length() <= 16 * MAX_FIELD ? written : "{\"cut\":true}";
        store.write(c -> Sql.insert(c,
                "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                clock.millis(), clip(actor), clip(action), clip(target), json));
    }

    /** The longest actor, action, subject or outcome stored: 1 KiB of characters. */
    public static final int MAX_FIELD = 1024;

    static String clip(String s) {
        return s == null ? "" : s.length() <= MAX_FIELD ? s : s.substring(0, MAX_FIELD - 1) + "…";
    }

    /** The newest {@code limit} events, newest first. */
    public List<Event> latest(int limit) {
        return store.read(c -> Sql.list(c, "SELECT id, at_ms, actor, action, subject, detail FROM audit_log"
                        + " ORDER BY id DESC LIMIT ?",
                rs -> new Event(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)), limit));
    }
}

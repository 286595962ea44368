package io.firstline.console.tickets;

import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Creates, lists and ends maintenance windows, and answers "is this agent in one now?". */
public final class MaintenanceWindows {
    private final Store store;
    private final Clock clock;

    public MaintenanceWindows(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public MaintenanceWindow create(MaintenanceWindow.Scope scope, String value, Instant startsAt, Instant endsAt,
                                    String reason, String createdBy) {
        MaintenanceWindow draft = new MaintenanceWindow(0, scope, value, startsAt, endsAt, reason, createdBy, null);
        long id = store.write(c -> Sql.insert(c, "INSERT INTO maintenance_windows (scope, scope_value, starts_at_ms, ends_at_ms,"
                        + " reason, created_by) VALUES (?, ?, ?, ?, ?, ?)", scope.label(), value, startsAt.toEpochMilli(),
                endsAt.toEpochMilli(), reason, createdBy));
        return new MaintenanceWindow(id, draft.scope(), value, startsAt, endsAt, reason, createdBy, null);
    }

    /** Windows not yet over (in force or still to come), or all of them. */
    public List<MaintenanceWindow> list(boolean includePast) {
        long now = clock.millis();
        return store.read(c -> includePast
                ? Sql.list(c, "SELECT * FROM maintenance_windows ORDER BY id DESC LIMIT 500", MaintenanceWindows::row)
                : Sql.list(c, "SELECT * FROM maintenance_windows WHERE ended_at_ms IS NULL AND ends_at_ms > ? ORDER BY id DESC",
                        MaintenanceWindows::row, now));
    }

    /**
     * Ends a window now.
     *
     * @throws IllegalTransitionException when it is already over
     * @throws IllegalArgumentException   when there is no such window
     */
    public MaintenanceWindow end(long id) {
        Instant now = clock.instant();
        return store.write(c -> {
            MaintenanceWindow w = Sql.one(c, "SELECT * FROM maintenance_windows WHERE id = ?", MaintenanceWindows::row, id)
                    .orElseThrow(() -> new java.util.NoSuchElementException("no maintenance window with id " + id));
            if (w.endedAt() != null || !w.endsAt().isAfter(now)) {
                throw new IllegalTransitionException("maintenance window " + id + " is already over");
            }
            Sql.update(c, "UPDATE maintenance_windows SET ended_at_ms = ? WHERE id = ?", now.toEpochMilli(), id);
            return new MaintenanceWindow(w.id(), w.scope(), w.value(), w.startsAt(), w.endsAt(), w.reason(), w.createdBy(), now);
        });
    }

    /** Whether a window holds notifications for this agent at {@code now}; runs inside the caller's transaction. */
    static boolean covers(Connection c, String agentId, AgentDirectory.AgentFacts facts, Instant now) throws SQLException {
        List<MaintenanceWindow> candidates = Sql.list(c, "SELECT * FROM maintenance_windows WHERE starts_at_ms <= ?"
                + " AND ends_at_ms > ? AND (ended_at_ms IS NULL OR ended_at_ms > ?)", MaintenanceWindows::row,
                now.toEpochMilli(), now.toEpochMilli(), now.toEpochMilli());
        return candidates.stream().anyMatch(w -> w.covers(agentId, facts));
    }

    private static MaintenanceWindow row(ResultSet rs) throws SQLException {
        Long ended = Sql.longOrNull(rs, "ended_at_ms");
        return new MaintenanceWindow(rs.getLong("id"), MaintenanceWindow.Scope.parse(rs.getString("scope")),
                rs.getString("scope_value"), Instant.ofEpochMilli(rs.getLong("starts_at_ms")),
                Instant.ofEpochMilli(rs.getLong("ends_at_ms")), rs.getString("reason"), rs.getString("created_by"),
                ended == null ? null : Instant.ofEpochMilli(ended));
    }
}

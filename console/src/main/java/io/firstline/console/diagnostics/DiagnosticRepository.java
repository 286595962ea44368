package io.firstline.console.diagnostics;

import com.fasterxml.jackson.core.type.TypeReference;
import io.firstline.console.store.Sql;
import io.firstline.console.web.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of diagnostics: portable statements over {@code diagnostics} and {@code diagnostic_chunks}. */
final class DiagnosticRepository {
    private static final String COLUMNS = "id, agent_id, action, params, ticket_id, requested_by, state, message, truncated,"
            + " content_type, summary, bytes, timeout_ms, created_at_ms, started_at_ms, finished_at_ms";
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };

    private DiagnosticRepository() {
    }

    static long insert(Connection c, String agentId, String action, Map<String, String> params, long ticketId, String requestedBy,
                       Diagnostic.State state, String message, long timeoutMs, long now) throws SQLException {
        return Sql.insert(c, "INSERT INTO diagnostics (agent_id, action, params, ticket_id, requested_by, state, message, timeout_ms,"
                        + " created_at_ms, finished_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                agentId, action, Json.write(new java.util.TreeMap<>(params)), ticketId == 0 ? null : ticketId, requestedBy, state.label(),
                message, timeoutMs, now, state.finished() ? now : null);
    }

    static Optional<Diagnostic> get(Connection c, long id) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM diagnostics WHERE id = ?", DiagnosticRepository::row, id);
    }

    static List<Diagnostic> byAgent(Connection c, String agentId, int limit) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM diagnostics WHERE agent_id = ? ORDER BY id DESC LIMIT ?",
                DiagnosticRepository::row, agentId, limit);
    }

    static List<Diagnostic> byTicket(Connection c, long ticketId) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM diagnostics WHERE ticket_id = ? ORDER BY id", DiagnosticRepository::row, ticketId);
    }

    static List<Diagnostic> inState(Connection c, Diagnostic.State state, int limit) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM diagnostics WHERE state = ? ORDER BY id LIMIT ?", DiagnosticRepository::row,
                state.label(), limit);
    }

    static List<Diagnostic> inState(Connection c, String agentId, Diagnostic.State state) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM diagnostics WHERE agent_id = ? AND state = ? ORDER BY id",
                DiagnosticRepository::row, agentId, state.label());
    }

    static void started(Connection c, long id, long now) throws SQLException {
        Sql.update(c, "UPDATE diagnostics SET state = ?, started_at_ms = ? WHERE id = ? AND state = ?",
                Diagnostic.State.RUNNING.label(), now, id, Diagnostic.State.PENDING.label());
    }

    static void finished(Connection c, long id, Diagnostic.State state, String message, boolean truncated, String contentType,
                         Map<String, String> summary, long now) throws SQLException {
        Sql.update(c, "UPDATE diagnostics SET state = ?, message = ?, truncated = ?, content_type = ?, summary = ?, finished_at_ms = ?"
                        + " WHERE id = ?", state.label(), message, truncated, contentType, Json.write(new java.util.TreeMap<>(summary)),
                now, id);
    }

    static void markTruncated(Connection c, long id) throws SQLException {
        Sql.update(c, "UPDATE diagnostics SET truncated = 1 WHERE id = ?", id);
    }

    /** Stores a chunk unless it is there already; returns whether it was new. */
    static boolean chunk(Connection c, long id, int chunk, byte[] data) throws SQLException {
        if (Sql.one(c, "SELECT 1 FROM diagnostic_chunks WHERE diagnostic_id = ? AND chunk = ?", rs -> 1, id, chunk).isPresent()) {
            return false;
        }
        Sql.update(c, "INSERT INTO diagnostic_chunks (diagnostic_id, chunk, data) VALUES (?, ?, ?)", id, chunk,
                Base64.getEncoder().encodeToString(data));
        Sql.update(c, "UPDATE diagnostics SET bytes = bytes + ? WHERE id = ?", (long) data.length, id);
        return true;
    }

    static int chunks(Connection c, long id) throws SQLException {
        return Sql.one(c, "SELECT COUNT(*) FROM diagnostic_chunks WHERE diagnostic_id = ?", rs -> rs.getInt(1), id).orElse(0);
    }

    /** The stored output, chunks in order. */
    static byte[] output(Connection c, long id) throws SQLException {
        List<byte[]> parts = Sql.list(c, "SELECT data FROM diagnostic_chunks WHERE diagnostic_id = ? ORDER BY chunk",
                rs -> Base64.getDecoder().decode(rs.getString(1)), id);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static Diagnostic row(ResultSet rs) throws SQLException {
        return new Diagnostic(rs.getLong(1), rs.getString(2), rs.getString(3), map(rs.getString(4)), rs.getLong(5), rs.getString(6),
                Diagnostic.State.parse(rs.getString(7)), rs.getString(8), rs.getInt(9) != 0, rs.getString(10), map(rs.getString(11)),
                rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16));
    }

    private static Map<String, String> map(String json) {
        try {
            return Json.MAPPER.readValue(json, MAP);
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }
}

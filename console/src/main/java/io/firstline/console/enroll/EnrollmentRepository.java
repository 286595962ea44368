package io.firstline.console.enroll;

import io.firstline.console.store.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The enrollment tables (migration V50), as parameterised SQL. Callers hold the transaction. */
final class EnrollmentRepository {
    private EnrollmentRepository() {
    }

    record TokenRow(String id, String tokenHash, String site, long createdAtMs, long expiresAtMs, int maxUses, int uses,
                    Long revokedAtMs, String createdBy) {
    }

    record AgentRow(String agentId, String site, long enrolledAtMs, String tokenId, String certSerial, long certNotAfterMs,
                    Long revokedAtMs) {
    }

    static void insertToken(Connection c, TokenRow t) throws SQLException {
        Sql.update(c, "INSERT INTO enrollment_tokens (id, token_hash, site, created_at_ms, expires_at_ms, max_uses, uses, created_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0, ?)", t.id(), t.tokenHash(), t.site(), t.createdAtMs(), t.expiresAtMs(), t.maxUses(),
                t.createdBy());
    }

    private static TokenRow token(ResultSet rs) throws SQLException {
        return new TokenRow(rs.getString("id"), rs.getString("token_hash"), rs.getString("site"), rs.getLong("created_at_ms"),
                rs.getLong("expires_at_ms"), rs.getInt("max_uses"), rs.getInt("uses"), Sql.longOrNull(rs, "revoked_at_ms"),
                rs.getString("created_by"));
    }

    static Optional<TokenRow> tokenByHash(Connection c, String hash) throws SQLException {
        return Sql.one(c, "SELECT * FROM enrollment_tokens WHERE token_hash = ?", EnrollmentRepository::token, hash);
    }

    static Optional<TokenRow> tokenById(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT * FROM enrollment_tokens WHERE id = ?", EnrollmentRepository::token, id);
    }

    static List<TokenRow> tokens(Connection c) throws SQLException {
        return Sql.list(c, "SELECT * FROM enrollment_tokens ORDER BY created_at_ms DESC, id", EnrollmentRepository::token);
    }

    /** Counts one use if the token is still usable at {@code nowMs}; false otherwise (nothing changed). */
    static boolean useToken(Connection c, String id, long nowMs) throws SQLException {
        return Sql.update(c, "UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = ? AND revoked_at_ms IS NULL"
                + " AND expires_at_ms > ? AND uses < max_uses", id, nowMs) == 1;
    }

    static boolean revokeToken(Connection c, String id, long nowMs) throws SQLException {
        return Sql.update(c, "UPDATE enrollment_tokens SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL", nowMs, id) == 1;
    }

    private static AgentRow agent(ResultSet rs) throws SQLException {
        return new AgentRow(rs.getString("agent_id"), rs.getString("site"), rs.getLong("enrolled_at_ms"), rs.getString("token_id"),
                rs.getString("cert_serial"), rs.getLong("cert_not_after_ms"), Sql.longOrNull(rs, "revoked_at_ms"));
    }

    static Optional<AgentRow> agent(Connection c, String agentId) throws SQLException {
        return Sql.one(c, "SELECT * FROM enrolled_agents WHERE agent_id = ?", EnrollmentRepository::agent, agentId);
    }

    static List<AgentRow> agents(Connection c) throws SQLException {
        return Sql.list(c, "SELECT * FROM enrolled_agents ORDER BY agent_id", EnrollmentRepository::agent);
    }

    /** Ids of the revoked agents: few, and asked every 15 s of a fleet of thousands, so only those rows are read. */
    static List<String> revokedAgentIds(Connection c) throws SQLException {
        return Sql.list(c, "SELECT agent_id FROM enrolled_agents WHERE revoked_at_ms IS NOT NULL", rs -> rs.getString(1));
    }

    static void upsertAgent(Connection c, AgentRow a) throws SQLException {
        if (Sql.update(c, "UPDATE enrolled_agents SET site = ?, enrolled_at_ms = ?, token_id = ?, cert_serial = ?, cert_not_after_ms = ?,"
                + " previous_serial = NULL, previous_until_ms = NULL WHERE agent_id = ?", a.site(), a.enrolledAtMs(), a.tokenId(), a.certSerial(), a.certNotAfterMs(), a.agentId()) == 0) {
            Sql.update(c, "INSERT INTO enrolled_agents (agent_id, site, enrolled_at_ms, token_id, cert_serial, cert_not_after_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", a.agentId(), a.site(), a.enrolledAtMs(), a.tokenId(), a.certSerial(), a.certNotAfterMs());
        }
    }

    /**
     * Makes {@code serial} the agent's certificate; {@code presented}, the
     * certificate the renewal came with, stays accepted until
     * {@code overlapUntilMs} or until the new one is first presented.
     */
    static void renewAgent(Connection c, String agentId, String serial, long notAfterMs, String presented, long overlapUntilMs)
            throws SQLException {
        Sql.update(c, "UPDATE enrolled_agents SET cert_serial = ?, cert_not_after_ms = ?, previous_serial = ?, previous_until_ms = ?"
                + " WHERE agent_id = ?", serial, notAfterMs, presented, overlapUntilMs, agentId);
    }

    /** How a handshake's certificate stands. */
    enum CertificateUse {
        /** The agent's current certificate. */
        CURRENT,
        /** The current certificate, presented for the first time since a renewal: the overlap ends now. */
        FIRST_USE_AFTER_RENEWAL,
        /** The certificate a renewal replaced, within its overlap. */
        OVERLAP,
        /** Revoked, superseded, replaced after its overlap, or of an agent unknown or revoked here. */
        REFUSED
    }

    static CertificateUse use(Connection c, String agentId, String serial, long nowMs) throws SQLException {
        if (Sql.one(c, "SELECT serial FROM revoked_certificates WHERE serial = ?", rs -> rs.getString(1), serial).isPresent()) {
            return CertificateUse.REFUSED;
        }
        record Row(String current, String previous, Long until, Long revokedAt) {
        }
        Optional<Row> a = Sql.one(c, "SELECT cert_serial, previous_serial, previous_until_ms, revoked_at_ms FROM enrolled_agents"
                + " WHERE agent_id = ?", rs -> new Row(rs.getString(1), rs.getString(2), Sql.longOrNull(rs, "previous_until_ms"),
                Sql.longOrNull(rs, "revoked_at_ms")), agentId);
        if (a.isEmpty() || a.get().revokedAt() != null) {
            return CertificateUse.REFUSED;
        }
        if (serial.equals(a.get().current())) {
            return a.get().previous() == null ? CertificateUse.CURRENT : CertificateUse.FIRST_USE_AFTER_RENEWAL;
        }
        if (serial.equals(a.get().previous()) && a.get().until() != null && nowMs < a.get().until()) {
            return CertificateUse.OVERLAP;
        }
        return CertificateUse.REFUSED;
    }

    /** Ends a renewal's overlap: the previous certificate is refused from now on. */
    static void endOverlap(Connection c, String agentId, long nowMs) throws SQLException {
        Optional<String> previous = Sql.one(c, "SELECT previous_serial FROM enrolled_agents WHERE agent_id = ?",
                rs -> rs.getString(1), agentId);
        if (previous.isPresent() && previous.get() != null) {
            revokeSerial(c, previous.get(), agentId, nowMs, "renewed");
            Sql.update(c, "UPDATE enrolled_agents SET previous_serial = NULL, previous_until_ms = NULL WHERE agent_id = ?", agentId);
        }
    }

    static boolean revokeAgent(Connection c, String agentId, long nowMs) throws SQLException {
        return Sql.update(c, "UPDATE enrolled_agents SET revoked_at_ms = ? WHERE agent_id = ? AND revoked_at_ms IS NULL",
                nowMs, agentId) == 1;
    }

    static void revokeSerial(Connection c, String serial, String agentId, long nowMs, String reason) throws SQLException {
        if (Sql.one(c, "SELECT serial FROM revoked_certificates WHERE serial = ?", rs -> rs.getString(1), serial).isEmpty()) {
            Sql.update(c, "INSERT INTO revoked_certificates (serial, agent_id, revoked_at_ms, reason) VALUES (?, ?, ?, ?)",
                    serial, agentId, nowMs, reason);
        }
    }


    static void audit(Connection c, long atMs, String actor, String action, String subject, String detail) throws SQLException {
        Sql.update(c, "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                atMs, actor, action, subject, detail);
    }

    static List<AuditEntry> auditLog(Connection c, int limit) throws SQLException {
        return Sql.list(c, "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", rs -> new AuditEntry(rs.getLong("id"),
                rs.getLong("at_ms"), rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("detail")), limit);
    }
}

package io.firstline.console.auth;

import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Browser sessions and API tokens in the store (tables {@code sessions} and
 * {@code api_tokens}). Only SHA-256 digests of the secrets are stored.
 */
public final class SessionRepository {
    /** A token's last-use time is written at most this often, so a busy script does not write on every call. */
    static final Duration LAST_USE_RESOLUTION = Duration.ofMinutes(1);

    private final Store store;

    public SessionRepository(Store store) {
        this.store = store;
    }

    private static final String PRINCIPAL = "u.id, u.username, u.role";

    public void createSession(String sessionId, long userId, String csrf, Instant now, Instant expires) {
        store.write(c -> Sql.update(c,
                "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?)",
                Secrets.digest(sessionId), userId, csrf, now.toEpochMilli(), expires.toEpochMilli()));
    }

    /** The live session with this cookie value, if it exists, has not expired and its user is enabled. */
    public Optional<Principal> session(String sessionId, Instant now) {
        return store.read(c -> Sql.one(c, "SELECT " + PRINCIPAL + ", s.csrf_token, u.must_change_password"
                        + " FROM sessions s JOIN users u ON u.id = s.user_id"
                        + " WHERE s.id_hash = ? AND s.expires_at_ms > ? AND u.disabled = 0",
                rs -> new Principal(rs.getLong(1), rs.getString(2), Role.parse(rs.getString(3)), rs.getString(4), false,
                        rs.getInt(5) != 0),
                Secrets.digest(sessionId), now.toEpochMilli()));
    }

    public void deleteSession(String sessionId) {
        store.write(c -> Sql.update(c, "DELETE FROM sessions WHERE id_hash = ?", Secrets.digest(sessionId)));
    }

    public void deleteExpired(Instant now) {
        store.write(c -> Sql.update(c, "DELETE FROM sessions WHERE expires_at_ms <= ?", now.toEpochMilli()));
    }

    /** Stores a new token; {@code expires} may be null (never). Returns its id. */
    public long createApiToken(String token, long userId, String name, Instant now, Instant expires) {
        return store.write(c -> Sql.insert(c,
                "INSERT INTO api_tokens (token_hash, user_id, name, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?)",
                Secrets.digest(token), userId, name, now.toEpochMilli(), expires == null ? null : expires.toEpochMilli()));
    }

    /**
     * The user of an unrevoked, unexpired API token, if their account is
     * enabled; notes the use (to the minute).
     */
    public Optional<Principal> apiToken(String token, Instant now) {
        record Found(Principal principal, long tokenId, Long lastUsed) {
        }
        Optional<Found> f = store.read(c -> Sql.one(c, "SELECT " + PRINCIPAL + ", t.id, t.last_used_at_ms"
                        + " FROM api_tokens t JOIN users u ON u.id = t.user_id"
                        + " WHERE t.token_hash = ? AND t.revoked_at_ms IS NULL AND u.disabled = 0"
                        + " AND (t.expires_at_ms IS NULL OR t.expires_at_ms > ?)",
                rs -> new Found(new Principal(rs.getLong(1), rs.getString(2), Role.parse(rs.getString(3)), "", true, false),
                        rs.getLong(4), Sql.longOrNull(rs, "last_used_at_ms")),
                Secrets.digest(token), now.toEpochMilli()));
        f.filter(x -> x.lastUsed() == null || now.toEpochMilli() - x.lastUsed() >= LAST_USE_RESOLUTION.toMillis())
                .ifPresent(x -> store.write(c -> Sql.update(c, "UPDATE api_tokens SET last_used_at_ms = ? WHERE id = ?",
                        now.toEpochMilli(), x.tokenId())));
        return f.map(Found::principal);
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("username"), rs.getString("name"),
                Instant.ofEpochMilli(rs.getLong("created_at_ms")), instant(rs, "last_used_at_ms"),
                instant(rs, "expires_at_ms"), instant(rs, "revoked_at_ms"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static final String TOKEN_COLUMNS = "SELECT t.id, u.username, t.name, t.created_at_ms, t.last_used_at_ms,"
            + " t.expires_at_ms, t.revoked_at_ms FROM api_tokens t JOIN users u ON u.id = t.user_id";

    /** The newest {@code limit} tokens of one user (userId > 0) or of everyone (userId 0), newest first. */
    public List<ApiToken> apiTokens(long userId, int limit) {
        return store.read(c -> userId > 0
                ? Sql.list(c, TOKEN_COLUMNS + " WHERE t.user_id = ? ORDER BY t.id DESC LIMIT ?", SessionRepository::token, userId, limit)
                : Sql.list(c, TOKEN_COLUMNS + " ORDER BY t.id DESC LIMIT ?", SessionRepository::token, limit));
    }

    /** Revokes one token; of that user only when userId > 0. False if there is no such unrevoked token. */
    public boolean revokeApiToken(long id, long userId, Instant now) {
        return store.write(c -> userId > 0
                ? Sql.update(c, "UPDATE api_tokens SET revoked_at_ms = ? WHERE id = ? AND user_id = ? AND revoked_at_ms IS NULL",
                        now.toEpochMilli(), id, userId) == 1
                : Sql.update(c, "UPDATE api_tokens SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL",
                        now.toEpochMilli(), id) == 1);
    }

    /** Revokes the user's unrevoked tokens, all of them or (name non-null) those with that name; returns how many. */
    public int revokeApiTokens(long userId, String name, Instant now) {
        return store.write(c -> name == null
                ? Sql.update(c, "UPDATE api_tokens SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms IS NULL",
                        now.toEpochMilli(), userId)
                : Sql.update(c, "UPDATE api_tokens SET revoked_at_ms = ? WHERE user_id = ? AND name = ? AND revoked_at_ms IS NULL",
                        now.toEpochMilli(), userId, name));
    }
}

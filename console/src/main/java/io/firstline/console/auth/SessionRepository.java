package io.firstline.console.auth;

import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions and API tokens in the store (tables {@code sessions} and
 * {@code api_tokens}). Only SHA-256 digests of the secrets are stored.
 */
public final class SessionRepository {
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
        return store.read(c -> Sql.one(c, "SELECT " + PRINCIPAL + ", s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id"
                        + " WHERE s.id_hash = ? AND s.expires_at_ms > ? AND u.disabled = 0",
                rs -> new Principal(rs.getLong(1), rs.getString(2), Role.parse(rs.getString(3)), rs.getString(4), false),
                Secrets.digest(sessionId), now.toEpochMilli()));
    }

    public void deleteSession(String sessionId) {
        store.write(c -> Sql.update(c, "DELETE FROM sessions WHERE id_hash = ?", Secrets.digest(sessionId)));
    }

    public void deleteExpired(Instant now) {
        store.write(c -> Sql.update(c, "DELETE FROM sessions WHERE expires_at_ms <= ?", now.toEpochMilli()));
    }

    public long createApiToken(String token, long userId, String name, Instant now) {
        return store.write(c -> Sql.insert(c,
                "INSERT INTO api_tokens (token_hash, user_id, name, created_at_ms) VALUES (?, ?, ?, ?)",
                Secrets.digest(token), userId, name, now.toEpochMilli()));
    }

    /** The user of an unrevoked API token, if their account is enabled. */
    public Optional<Principal> apiToken(String token) {
        return store.read(c -> Sql.one(c, "SELECT " + PRINCIPAL + " FROM api_tokens t JOIN users u ON u.id = t.user_id"
                        + " WHERE t.token_hash = ? AND t.revoked_at_ms IS NULL AND u.disabled = 0",
                rs -> new Principal(rs.getLong(1), rs.getString(2), Role.parse(rs.getString(3)), "", true),
                Secrets.digest(token)));
    }

    public boolean revokeApiToken(long id, Instant now) {
        return store.write(c -> Sql.update(c, "UPDATE api_tokens SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL",
                now.toEpochMilli(), id) == 1);
    }
}

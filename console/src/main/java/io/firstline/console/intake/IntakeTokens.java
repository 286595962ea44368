package io.firstline.console.intake;

import io.firstline.console.auth.Secrets;
import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tokens of the intake role: each lets a monitoring system (Alertmanager)
 * post alerts to {@code /api/intake/...} and do nothing else; no user stands
 * behind it, so it opens no other route. Only a SHA-256 of each token is
 * stored; the token itself is shown once, when it is made.
 */
public final class IntakeTokens {
    /** Longest token name accepted. */
    public static final int MAX_NAME = 100;

    /** One token as the admin page lists it (never the token itself). */
    public record Info(long id, String name, String createdBy, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    }

    /** A token just made: its id and the secret, shown once. */
    public record Created(long id, String token) {
    }

    private final Store store;
    private final Clock clock;

    public IntakeTokens(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Makes a token; {@code name} may be empty (it is then "intake"). */
    public Created create(String name, String createdBy) {
        String n = name == null || name.isBlank() ? "intake" : name.strip();
        if (n.length() > MAX_NAME || n.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new IllegalArgumentException("name must be at most " + MAX_NAME + " printable characters");
        }
        String token = "fli_" + Secrets.token(32);
        long id = store.write(c -> Sql.insert(c, "INSERT INTO intake_tokens (token_hash, name, created_by, created_at_ms)"
                + " VALUES (?, ?, ?, ?)", Secrets.digest(token), n, createdBy, clock.millis()));
        return new Created(id, token);
    }

    /** Every token, newest first. */
    public List<Info> list() {
        return store.read(c -> Sql.list(c, "SELECT id, name, created_by, created_at_ms, last_used_at_ms, revoked_at_ms"
                + " FROM intake_tokens ORDER BY id DESC", rs -> new Info(rs.getLong(1), rs.getString(2), rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)), instant(Sql.longOrNull(rs, "last_used_at_ms")),
                instant(Sql.longOrNull(rs, "revoked_at_ms")))));
    }

    private static Instant instant(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }

    /** Revokes a token; false if there is no such token or it was already revoked. */
    public boolean revoke(long id) {
        return store.write(c -> Sql.update(c, "UPDATE intake_tokens SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL",
                clock.millis(), id)) == 1;
    }

    /** The live token's name for a presented secret, if it is one; records its use. */
    public Optional<String> check(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        String hash = Secrets.digest(token.strip());
        return store.read(c -> Sql.one(c, "SELECT name FROM intake_tokens WHERE token_hash = ? AND revoked_at_ms IS NULL",
                rs -> rs.getString(1), hash));
    }

    /** Records that a token was used now (after its request was stored, inside the same transaction). */
    public void touch(java.sql.Connection c, String token) throws java.sql.SQLException {
        Sql.update(c, "UPDATE intake_tokens SET last_used_at_ms = ? WHERE token_hash = ?", clock.millis(),
                Secrets.digest(token.strip()));
    }
}

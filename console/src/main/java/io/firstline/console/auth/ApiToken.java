package io.firstline.console.auth;

import java.time.Instant;

/**
 * An API token as listed (never its secret). Nullable: lastUsedAt (never
 * used), expiresAt (never expires), revokedAt (not revoked).
 */
public record ApiToken(long id, String username, String name, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
                       Instant revokedAt) {
    /** "active", "expired" or "revoked" at {@code now}. */
    public String state(Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        return expiresAt != null && !expiresAt.isAfter(now) ? "expired" : "active";
    }
}

package io.firstline.console.enroll;

import java.time.Instant;

/**
 * An enrollment token as lists show it: never the secret. {@code secret} is
 * set only in the answer to {@code create}, the one time it is shown.
 */
public record TokenInfo(String id, String site, Instant createdAt, Instant expiresAt, int maxUses, int uses, Instant revokedAt,
                        String createdBy, String secret) {

    /** "active", "expired", "used up" or "revoked" at {@code now}. */
    public String state(Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        if (!expiresAt.isAfter(now)) {
            return "expired";
        }
        return uses >= maxUses ? "used up" : "active";
    }
}

package io.firstline.console.auth;

import java.time.Instant;

/** A console user as stored (without the password hash). */
public record User(long id, String username, Role role, boolean disabled, Instant createdAt) {
}

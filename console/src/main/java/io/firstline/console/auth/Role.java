package io.firstline.console.auth;

import java.util.Locale;

/** What a user may do: admins manage everything, engineers work tickets, viewers only look. */
public enum Role {
    ADMIN, ENGINEER, VIEWER;

    /** Whether this role may change anything at all (the server refuses every change by a viewer). */
    public boolean canChange() {
        return this != VIEWER;
    }

    public boolean isAdmin() {
        return this == ADMIN;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "admin", "engineer" or "viewer". */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.label().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be admin, engineer or viewer, got " + s);
    }
}

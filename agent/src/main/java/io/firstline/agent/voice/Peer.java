package io.firstline.agent.voice;

import java.util.Objects;

/**
 * Who is on the other end of a local connection, as the kernel says
 * (SO_PEERCRED): the login name of the connecting process's user, or its
 * numeric uid where the system has no name for it.
 */
public record Peer(String user) {
    public Peer {
        Objects.requireNonNull(user, "user");
        if (user.isBlank()) {
            throw new IllegalArgumentException("peer user must not be blank");
        }
    }

    /** Root sees every ticket of the machine; other users see fault tickets and their own reports. */
    public boolean isRoot() {
        return user.equals("root") || user.equals("0");
    }
}

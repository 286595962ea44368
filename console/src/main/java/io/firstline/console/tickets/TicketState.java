package io.firstline.console.tickets;

import java.util.Locale;

/** Where a ticket is in its life: open → acknowledged → resolved → closed (reopen goes back to open). */
public enum TicketState {
    OPEN, ACKNOWLEDGED, RESOLVED, CLOSED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean live() {
        return this == OPEN || this == ACKNOWLEDGED;
    }

    /** The state with this label; the error names the allowed labels. */
    public static TicketState parse(String s) {
        for (TicketState v : values()) {
            if (v.label().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("state must be open, acknowledged, resolved or closed, got '"
                + (s.length() > 64 ? s.substring(0, 64) + "…" : s) + "'");
    }
}

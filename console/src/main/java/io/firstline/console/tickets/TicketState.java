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

    public static TicketState parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}

package io.firstline.console.tickets;

/** No ticket with that id (HTTP 404). */
public final class TicketNotFoundException extends RuntimeException {
    public TicketNotFoundException(long id) {
        super("no ticket with id " + id);
    }
}

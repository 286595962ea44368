package io.firstline.console.tickets;

/** An action that the ticket's state does not allow, e.g. acknowledging a resolved ticket (HTTP 409). */
public final class IllegalTransitionException extends RuntimeException {
    public IllegalTransitionException(String message) {
        super(message);
    }
}

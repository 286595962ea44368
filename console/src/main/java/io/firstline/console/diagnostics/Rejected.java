package io.firstline.console.diagnostics;

/**
 * A diagnostic request the console will not send, and why: the API answers
 * with the reason's status and the message (and the parameter, for invalid
 * requests). Nothing reached the agent.
 */
public final class Rejected extends RuntimeException {
    /** Why, with the HTTP status the API answers. */
    public enum Reason {
        INVALID(400), UNKNOWN(404), OFFLINE(409), RATE_LIMITED(429);

        public final int status;

        Reason(int status) {
            this.status = status;
        }
    }

    private final Reason reason;
    private final String param;

    Rejected(Reason reason, String param, String message) {
        super(message);
        this.reason = reason;
        this.param = param;
    }

    public Reason reason() {
        return reason;
    }

    /** The parameter at fault ("action" for the action itself); empty when none is. */
    public String param() {
        return param;
    }
}

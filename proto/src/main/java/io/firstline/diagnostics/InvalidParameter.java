package io.firstline.diagnostics;

/**
 * A diagnostic request that breaks the parameter rules: {@link #param()} names
 * the parameter ("action" for the action itself), the message says what is
 * wrong in one sentence. The console answers 400 with both; the agent refuses
 * the request with the message.
 */
public final class InvalidParameter extends IllegalArgumentException {
    private final String param;

    public InvalidParameter(String param, String message) {
        super(message);
        this.param = param;
    }

    public String param() {
        return param;
    }
}

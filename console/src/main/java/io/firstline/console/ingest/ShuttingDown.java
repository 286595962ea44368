package io.firstline.console.ingest;

/**
 * Fired on every agent connection's pipeline when the console stops: the
 * session stops reading, lets the commits it has started finish and their
 * acks go out, then sends {@code Refuse(SHUTTING_DOWN)} telling the agent to
 * come back after {@code retryAfterMs} plus a random part of
 * {@code spreadMs}, and closes.
 */
record ShuttingDown(long retryAfterMs, long spreadMs) {
}

package io.firstline.console.diagnostics;

import java.util.Map;

/**
 * One diagnostic request and what became of it (a row of {@code diagnostics}).
 * {@code ticketId} is 0 when it belongs to no ticket; times are ms since the
 * Unix epoch, 0 while not reached.
 */
public record Diagnostic(long id, String agentId, String action, Map<String, String> params, long ticketId, String requestedBy,
                         State state, String message, boolean truncated, String contentType, Map<String, String> summary,
                         long bytes, long timeoutMs, long createdAtMs, long startedAtMs, long finishedAtMs) {
    /** Where a request is: waiting to be sent, sent, or finished one of four ways. */
    public enum State {
        PENDING, RUNNING, DONE, FAILED, REFUSED, TIMED_OUT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean finished() {
            return this != PENDING && this != RUNNING;
        }

        public static State parse(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public Diagnostic {
        params = Map.copyOf(params);
        summary = Map.copyOf(summary);
    }

    /** Whether the output is text (shown inline) rather than a file to download (pcap, zip). */
    public boolean textOutput() {
        return contentType.isEmpty() || contentType.startsWith("text/");
    }
}

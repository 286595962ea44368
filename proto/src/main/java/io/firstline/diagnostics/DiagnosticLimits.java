package io.firstline.diagnostics;

import java.time.Duration;

/** The bounds every diagnostic runs within, on both sides (docs/diagnostics.md, "Limits"). */
public final class DiagnosticLimits {
    /** Timeout when a request names none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The longest timeout a request may ask for. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    /** Output kept of a text action; the rest is cut and the result marked truncated. */
    public static final int OUTPUT_CAP = 256 * 1024;
    /** Output kept of a packet capture (pcap bytes). */
    public static final int CAPTURE_CAP = 2 * 1024 * 1024;
    /** Output kept of a bundle (a zip of its actions' outputs, each within {@link #OUTPUT_CAP}). */
    public static final int BUNDLE_CAP = 2 * 1024 * 1024;
    /** The most data one result chunk carries on the wire. */
    public static final int CHUNK_BYTES = 64 * 1024;
    /** Requests an agent runs at once; more are refused. */
    public static final int MAX_CONCURRENT = 2;

    private DiagnosticLimits() {
    }

    /** The timeout to use for a requested one in ms (0 = default); throws for one above the maximum. */
    public static Duration timeout(long requestedMs) {
        if (requestedMs == 0) {
            return DEFAULT_TIMEOUT;
        }
        if (requestedMs < 0 || requestedMs > MAX_TIMEOUT.toMillis()) {
            throw new InvalidParameter("timeoutMs", "timeout must be from 1 to " + MAX_TIMEOUT.toMillis() + " ms, got " + requestedMs);
        }
        return Duration.ofMillis(requestedMs);
    }

    /** The output cap of an action. */
    public static int cap(Action action) {
        return switch (action) {
            case PACKET_CAPTURE -> CAPTURE_CAP;
            case BUNDLE -> BUNDLE_CAP;
            default -> OUTPUT_CAP;
        };
    }
}

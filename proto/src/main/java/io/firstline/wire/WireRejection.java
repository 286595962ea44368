package io.firstline.wire;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.util.Locale;

/**
 * Why a connection on the agent link was closed by the receiving side. The
 * {@link #label()} is the {@code reason} label of the rejection metrics, so
 * the set is fixed and small (bounded cardinality).
 */
public enum WireRejection {
    /** A frame announced more than the frame cap. */
    OVERSIZE,
    /** A frame's bytes were not an Envelope. */
    MALFORMED,
    /** An Envelope with no body or a body this side does not know. */
    UNKNOWN_TYPE,
    /** A well-formed message that is not allowed at this point (e.g. a Sample before Hello). */
    PROTOCOL,
    /** The peer's protocol versions do not overlap ours. */
    UNSUPPORTED_VERSION,
    /** No Hello within the handshake timeout. */
    HANDSHAKE_TIMEOUT,
    /** Nothing received for several intervals. */
    IDLE_TIMEOUT,
    /** The socket failed (reset, broken pipe). */
    IO_ERROR,
    /** Anything else, including bugs; logged with its stack trace. */
    INTERNAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Maps an exception caught in a link pipeline to its reason. */
    public static WireRejection classify(Throwable cause) {
        Throwable t = cause;
        if (t instanceof DecoderException && !(t instanceof TooLongFrameException)
                && !(t instanceof CorruptedFrameException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TooLongFrameException) {
            return OVERSIZE;
        }
        if (t instanceof CorruptedFrameException || t instanceof DecoderException) {
            return MALFORMED;
        }
        if (t instanceof ReadTimeoutException) {
            return IDLE_TIMEOUT;
        }
        if (t instanceof IOException) {
            return IO_ERROR;
        }
        return INTERNAL;
    }
}

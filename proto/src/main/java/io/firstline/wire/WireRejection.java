package io.firstline.wire;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateRevokedException;
import javax.net.ssl.SSLException;
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
    /** The TLS layer failed: not TLS at all, no shared protocol or cipher, a bad record. */
    TLS_ERROR,
    /** A Hello on a connection without a client certificate. */
    NO_CLIENT_CERTIFICATE,
    /** A client certificate that does not chain to the console CA. */
    UNTRUSTED_CERTIFICATE,
    /** A client certificate past its validity. */
    EXPIRED_CERTIFICATE,
    /** A client certificate the console has revoked. */
    REVOKED_CERTIFICATE,
    /** The Hello's agent id is not the certificate's. */
    IDENTITY_MISMATCH,
    /** An enrollment or renewal the console refused. */
    ENROLLMENT_REFUSED,
    /** A newer connection of the same agent said Hello; the older one gets Refuse(SUPERSEDED) and is closed. */
    SUPERSEDED,
    /** More frames or bytes per second than the per-connection limit allows. */
    RATE_LIMITED,
    /** Too many TLS handshakes in progress: closed at once, the agent backs off and returns. */
    OVERLOADED,
    /** A Hello to a console node that cannot reach its store (PostgreSQL): Refuse(STORE_UNAVAILABLE), the agent tries another node. */
    STORE_UNAVAILABLE,
    /** The socket failed (reset, broken pipe). */
    IO_ERROR,
    /** Anything else, including bugs; logged with its stack trace. */
    INTERNAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Maps an exception caught in a link pipeline to its reason. */
    public static WireRejection classify(Throwable cause) {
        WireRejection tls = classifyTls(cause);
        if (tls != null) {
            return tls;
        }
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

    /** A TLS failure by its deepest cause, or null when {@code cause} is not about TLS. */
    private static WireRejection classifyTls(Throwable cause) {
        boolean tls = false;
        boolean untrusted = false;
        boolean expired = false;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateRevokedException) {
                return REVOKED_CERTIFICATE;
            }
            if (t instanceof CertificateExpiredException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                expired = true;
            }
            if (t instanceof CertPathValidatorException || t instanceof CertPathBuilderException) {
                untrusted = true;
            }
            if (t instanceof SSLException || t instanceof NotSslRecordException) {
                tls = true;
            }
        }
        if (expired) {
            return EXPIRED_CERTIFICATE;
        }
        if (untrusted) {
            return UNTRUSTED_CERTIFICATE;
        }
        return tls ? TLS_ERROR : null;
    }
}

package io.firstline.console.pki;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;

/**
 * Whether a completed TLS handshake on the agent port was a full one (key
 * exchange with the console's certificate and signature, and the agent's
 * certificate checked) or resumed an earlier session (a session ticket: no
 * certificates, no signatures). Asked right after the handshake succeeded.
 *
 * <p>Neither way of telling is in {@link javax.net.ssl.SSLSession}, and the
 * obvious stand-ins are wrong: the JDK gives every TLS 1.3 session a new id,
 * resumed or not, and BoringSSL's session creation time has only seconds.
 * So each provider is asked what it knows for sure:
 * <ul>
 *   <li>BoringSSL: {@code SSL_session_reused} on the engine's native handle.</li>
 *   <li>The JDK: whether the console's key manager chose a certificate for
 *       this engine ({@link #markFull}, from the key manager
 *       {@link ServerTls} installs): a full handshake always signs with the
 *       console's key, a resumed one never does, in TLS 1.3 and 1.2 alike.</li>
 * </ul>
 */
public enum HandshakeKind {
    FULL,
    RESUMED;

    /** JDK engines whose handshake chose the server certificate; weak, so an engine that never completes is forgotten. */
    private static final Set<SSLEngine> SIGNED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** {@code full} or {@code resumed}: the metric's label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of the handshake {@code engine} has just completed (call once per handshake). */
    public static HandshakeKind of(SSLEngine engine) {
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            long ssl = openSsl.sslPointer();
            return ssl != 0 && SSL.isSessionReused(ssl) ? RESUMED : FULL;
        }
        return SIGNED.remove(engine) ? FULL : RESUMED;
    }

    /** The JDK's key manager picked the console's certificate for {@code engine}: its handshake is a full one. */
    static void markFull(SSLEngine engine) {
        if (engine != null) {
            SIGNED.add(engine);
        }
    }
}

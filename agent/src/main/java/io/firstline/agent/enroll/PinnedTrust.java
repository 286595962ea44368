package io.firstline.agent.enroll;

import io.firstline.wire.Tls;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for the first contact with a console, before the agent has its CA:
 * the console's chain must contain a certificate with the pinned SHA-256
 * fingerprint, and the console's certificate must chain to it (PKIX, with
 * validity and key usage checked). Anything else ends the handshake, so a
 * token is never sent to an impostor.
 */
final class PinnedTrust implements X509TrustManager {
    private final String pinned;
    private X509Certificate ca;

    PinnedTrust(String pinnedFingerprint) {
        this.pinned = Tls.normalizeFingerprint(pinnedFingerprint);
    }

    /** The CA the console presented and the pin matched, once the handshake is done. */
    X509Certificate ca() {
        return ca;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        X509Certificate match = null;
        for (X509Certificate c : chain) {
            if (Tls.fingerprint(c).equals(pinned)) {
                match = c;
            }
        }
        if (match == null) {
            throw new CertificateException("the console's CA does not have the pinned fingerprint " + pinned
                    + " (it presented " + Tls.fingerprint(chain[chain.length - 1]) + ")");
        }
        Tls.trustAnchoredAt(match).checkServerTrusted(chain, authType);
        ca = match;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("an agent does not accept connections");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}

package io.firstline.agent.enroll;

import io.firstline.wire.Tls;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
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
        anchoredAt(match).checkServerTrusted(chain, authType);
        ca = match;
    }

    static X509TrustManager anchoredAt(X509Certificate ca) throws CertificateException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("console-ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new CertificateException("no X509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CertificateException(e);
        }
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

package io.firstline.console.pki;

import io.firstline.wire.Tls;
import java.net.Socket;
import java.security.cert.CRLReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateRevokedException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides during the TLS handshake whether an agent's certificate is let in:
 * it must chain to the console CA (PKIX: signature, validity, clientAuth key
 * usage) and must not be revoked. A refusal ends the handshake; the cause
 * (expired, untrusted, revoked) becomes the rejection reason in the metrics.
 */
public final class AgentTrust extends X509ExtendedTrustManager {
    /** Answers whether a certificate may still be used (the store keeps revocations). */
    @FunctionalInterface
    public interface Revocations {
        boolean isRevoked(String agentId, String serial);
    }

    private final X509ExtendedTrustManager pkix;
    private final X509Certificate ca;
    private final Revocations revocations;

    public AgentTrust(X509Certificate ca, Revocations revocations) {
        this.ca = ca;
        this.revocations = revocations;
        try {
            this.pkix = Tls.trustAnchoredAt(ca);
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot build the trust manager for the console CA", e);
        }
    }

    private void notRevoked(X509Certificate[] chain) throws CertificateException {
        X509Certificate leaf = chain[0];
        if (revocations.isRevoked(Tls.commonName(leaf), ConsoleCa.serialOf(leaf))) {
            throw new CertificateRevokedException(new Date(), CRLReason.UNSPECIFIED, ca.getSubjectX500Principal(), Map.of());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        notRevoked(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        notRevoked(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        notRevoked(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the console does not connect out");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the console does not connect out");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the console does not connect out");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {ca};
    }
}

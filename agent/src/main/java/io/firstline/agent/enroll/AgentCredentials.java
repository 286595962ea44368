package io.firstline.agent.enroll;

import io.firstline.wire.Tls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * What enrollment leaves in the agent's state directory, all mode 0600:
 * {@code agent.key} (made here, never sent), {@code agent.crt} (signed by the
 * console CA; its CN is the agent id) and {@code console-ca.crt} (the only
 * authority the agent trusts for the console).
 */
public record AgentCredentials(String agentId, PrivateKey key, X509Certificate certificate, X509Certificate ca) {
    public static final String KEY_FILE = "agent.key";
    public static final String CERT_FILE = "agent.crt";
    public static final String CA_FILE = "console-ca.crt";
    /** How long a TLS session with the console stays resumable from the agent's side. */
    static final Duration SESSION_TIMEOUT = Duration.ofDays(2);

    /** The credentials in {@code stateDir}, or empty when the agent is not enrolled. */
    public static Optional<AgentCredentials> load(Path stateDir) {
        Path cert = stateDir.resolve(CERT_FILE);
        if (!Files.exists(cert)) {
            return Optional.empty();
        }
        try {
            X509Certificate c = Tls.readCertificate(cert);
            return Optional.of(new AgentCredentials(Tls.commonName(c), Tls.readPrivateKey(stateDir.resolve(KEY_FILE)), c,
                    Tls.readCertificate(stateDir.resolve(CA_FILE))));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the enrollment files in " + stateDir + " are unreadable (" + e.getMessage()
                    + "); enroll again", e);
        }
    }

    /** Writes key, certificate and CA (0600 each; the key first, the certificate last, so a half-written enrollment reads as none). */
    public void save(Path stateDir) throws IOException {
        Tls.writePrivateKey(stateDir.resolve(KEY_FILE), key);
        Tls.writeCertificate(stateDir.resolve(CA_FILE), ca);
        Tls.writeCertificate(stateDir.resolve(CERT_FILE), certificate);
    }

    /** Whether less than a third of the certificate's lifetime is left: time to renew. */
    public boolean needsRenewal(Clock clock) {
        Instant from = certificate.getNotBefore().toInstant();
        Instant to = certificate.getNotAfter().toInstant();
        Duration third = Duration.between(from, to).dividedBy(3);
        return clock.instant().isAfter(to.minus(third));
    }

    /**
     * The TLS context of the agent link: our certificate for the console, and
     * only the console CA trusted. Host names are not checked: the pinned,
     * private CA is the trust anchor, and it marks console certificates
     * serverAuth and agent certificates clientAuth only (docs/security.md).
     */
    public SslContext clientContext() {
        return clientContext(SslProvider.JDK);
    }

    /**
     * The same context on another TLS provider. The agent uses the JDK's
     * ({@link #clientContext()}); the fleet simulator can take BoringSSL
     * ({@link SslProvider#OPENSSL}, netty-tcnative on its class path) so that
     * thousands of simulated agents' handshakes fit beside the console on one
     * machine.
     */
    public SslContext clientContext(SslProvider provider) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(provider)
                    .protocols(Tls.PROTOCOLS)
                    .keyManager(key, certificate)
                    .trustManager(ca)
                    .endpointIdentificationAlgorithm(null)
                    // As long as the console's TLS 1.3 tickets live (BoringSSL: two days), not the JDK's 24 h.
                    .sessionTimeout(SESSION_TIMEOUT.toSeconds())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS context from the enrollment files: " + e.getMessage(), e);
        }
    }
}

package io.firstline.console.notify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The SMTP server e-mail goes through: host and port, how the connection is
 * protected ({@code starttls}, implicit {@code tls}, or {@code none} on a
 * trusted network), the login, the sender, a timeout for each step, and
 * optionally the CA certificates to trust instead of the system's (for a
 * server with a private CA). The server's name is always checked against its
 * certificate.
 */
public record SmtpSettings(String host, int port, Security security, String username, String password, Path passwordFile,
                           String from, Duration timeout, List<X509Certificate> trustedCas) {
    public enum Security {
        /** Plain connection upgraded with STARTTLS, which is required (no fallback to plain text). */
        STARTTLS(587),
        /** TLS from the first byte ("SMTPS"). */
        TLS(465),
        /** No encryption: only for a relay on the same machine or a trusted network; no login allowed. */
        NONE(25);

        final int defaultPort;

        Security(int defaultPort) {
            this.defaultPort = defaultPort;
        }
    }

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(timeout, "timeout");
        trustedCas = List.copyOf(trustedCas);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "SmtpSettings[" + security.name().toLowerCase(java.util.Locale.ROOT) + "://" + host + ":" + port
                + (username.isEmpty() ? "" : ", user " + username) + ", from " + from + "]";
    }

    public boolean authenticates() {
        return !username.isEmpty();
    }

    /** The password: read from {@code password_file} each time (so a rotated secret needs no restart), or the inline one. */
    String currentPassword() throws IOException {
        if (passwordFile != null) {
            return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        }
        return password;
    }

    /** The socket factory trusting only {@link #trustedCas}, or null to use the system's trust store. */
    SSLSocketFactory socketFactory() throws GeneralSecurityException, IOException {
        if (trustedCas.isEmpty()) {
            return null;
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        for (int i = 0; i < trustedCas.size(); i++) {
            ks.setCertificateEntry("ca" + i, trustedCas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    /** Reads every certificate of a PEM file. */
    static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate in the file");
        }
        return out;
    }
}

package io.firstline.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What both ends of the agent link agree on about TLS: the protocol versions
 * (1.3 preferred, 1.2 at least), how a CA fingerprint is written, how keys and
 * certificates are stored (PEM files, private ones mode 0600), and that a
 * client certificate's subject CN is the agent id. JDK only, so the agent's
 * steady state needs no extra crypto library.
 */
public final class Tls {
    /** Enabled protocol versions, preferred first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final String FINGERPRINT_PREFIX = "sha256:";

    private Tls() {
    }

    /**
     * A PKIX trust manager that trusts exactly the chains ending at {@code ca}:
     * the agent trusts its console's CA this way, the console its own for
     * client certificates.
     */
    public static X509ExtendedTrustManager trustAnchoredAt(X509Certificate ca) throws CertificateException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("console-ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new CertificateException("no PKIX trust manager in this JVM");
        } catch (GeneralSecurityException | IOException e) {
            throw new CertificateException(e);
        }
    }

    /** {@code sha256:} and the lower-case hex SHA-256 of the certificate's DER encoding. */
    public static String fingerprint(X509Certificate cert) {
        try {
            return FINGERPRINT_PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether {@code pinned} names {@code cert}. Case, colons and the
     * {@code sha256:} prefix are optional, so copies from other tools match.
     */
    public static boolean fingerprintMatches(String pinned, X509Certificate cert) {
        return normalizeFingerprint(pinned).equals(fingerprint(cert));
    }

    /** The canonical form of a fingerprint as a user may have typed it. */
    public static String normalizeFingerprint(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith(FINGERPRINT_PREFIX)) {
            s = s.substring(FINGERPRINT_PREFIX.length());
        }
        s = s.replace(":", "");
        if (!s.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("'" + text + "' is not a SHA-256 fingerprint (64 hex digits, optionally 'sha256:' first)");
        }
        return FINGERPRINT_PREFIX + s;
    }

    /** The subject CN of a certificate: for an agent certificate, the agent id. Empty if none. */
    public static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return "";
        } catch (InvalidNameException e) {
            return "";
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static byte[] fromPem(String text, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int a = text.indexOf(begin);
        int b = text.indexOf(end);
        if (a < 0 || b < a) {
            throw new IllegalArgumentException("no " + type + " in PEM text");
        }
        return Base64.getMimeDecoder().decode(text.substring(a + begin.length(), b));
    }

    public static X509Certificate certificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    public static X509Certificate readCertificate(Path file) throws IOException, CertificateException {
        return certificate(fromPem(Files.readString(file, StandardCharsets.US_ASCII), "CERTIFICATE"));
    }

    /** Reads a PKCS#8 private key (EC or RSA) from PEM. */
    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        byte[] der = fromPem(Files.readString(file, StandardCharsets.US_ASCII), "PRIVATE KEY");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        } catch (GeneralSecurityException notEc) {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        }
    }

    public static void writeCertificate(Path file, X509Certificate cert) throws IOException {
        try {
            writePrivate(file, pem("CERTIFICATE", cert.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
    }

    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        writePrivate(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    /**
     * Writes {@code text} so that only the owner can read it (0600 from the
     * start: the file is created with that mode, then moved into place).
     */
    public static void writePrivate(Path file, String text) throws IOException {
        io.firstline.files.PrivateFiles.write(file, text.getBytes(StandardCharsets.US_ASCII));
    }
}

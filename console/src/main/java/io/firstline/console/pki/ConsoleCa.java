package io.firstline.console.pki;

import io.firstline.files.PrivateFiles;
import io.firstline.wire.Tls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's certificate authority, made on first start in
 * {@code DATA/pki/}: {@code ca.key} (0600, never leaves the machine),
 * {@code ca.crt}, and the agent port's own {@code server.key}/{@code server.crt}
 * (re-issued when it comes within 30 days of expiry). Agent certificates it
 * signs are for clientAuth only and the server's for serverAuth only, so an
 * agent's key can never pose as a console. All keys are EC P-256.
 */
public final class ConsoleCa {
    private static final Logger log = LoggerFactory.getLogger(ConsoleCa.class);
    public static final Duration CA_LIFETIME = Duration.ofDays(3650);
    public static final Duration SERVER_LIFETIME = Duration.ofDays(397);
    public static final Duration AGENT_LIFETIME = Duration.ofDays(365);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey caKey;
    private final X509Certificate caCert;
    private final PrivateKey serverKey;
    private final X509Certificate serverCert;
    private final Clock clock;

    private ConsoleCa(PrivateKey caKey, X509Certificate caCert, PrivateKey serverKey, X509Certificate serverCert, Clock clock) {
        this.caKey = caKey;
        this.caCert = caCert;
        this.serverKey = serverKey;
        this.serverCert = serverCert;
        this.clock = clock;
    }

    /** Loads the CA from {@code dataDir/pki}, creating it (and a server certificate) if absent. */
    public static ConsoleCa loadOrCreate(Path dataDir, String consoleId, Clock clock) {
        Path dir = dataDir.resolve("pki");
        Path caKeyFile = dir.resolve("ca.key");
        Path caCertFile = dir.resolve("ca.crt");
        try {
            PrivateFiles.directories(dir);
            PrivateKey caKey;
            X509Certificate caCert;
            if (Files.exists(caCertFile)) {
                caKey = Tls.readPrivateKey(caKeyFile);
                caCert = Tls.readCertificate(caCertFile);
            } else {
                KeyPair kp = newKeyPair();
                caKey = kp.getPrivate();
                caCert = selfSigned(kp, "CN=Firstline console CA " + consoleId, clock);
                Tls.writePrivateKey(caKeyFile, caKey);
                Tls.writeCertificate(caCertFile, caCert);
                log.info("created the console CA in {}; fingerprint {}", dir, Tls.fingerprint(caCert));
            }
            Path serverKeyFile = dir.resolve("server.key");
            Path serverCertFile = dir.resolve("server.crt");
            PrivateKey serverKey;
            X509Certificate serverCert;
            // Re-issued when it expires within 30 days or another CA signed it (a node given the CA of the others).
            if (Files.exists(serverCertFile) && Tls.readCertificate(serverCertFile).getNotAfter().toInstant()
                    .isAfter(clock.instant().plus(Duration.ofDays(30))) && signedBy(Tls.readCertificate(serverCertFile), caCert)) {
                serverKey = Tls.readPrivateKey(serverKeyFile);
                serverCert = Tls.readCertificate(serverCertFile);
            } else {
                KeyPair kp = newKeyPair();
                serverKey = kp.getPrivate();
                serverCert = sign(caKey, caCert, new X500Principal("CN=Firstline console " + consoleId), kp.getPublic(),
                        SERVER_LIFETIME, KeyPurposeId.id_kp_serverAuth, serverNames(), clock);
                Tls.writePrivateKey(serverKeyFile, serverKey);
                Tls.writeCertificate(serverCertFile, serverCert);
            }
            return new ConsoleCa(caKey, caCert, serverKey, serverCert, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or read the console CA in " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException | IllegalArgumentException e) {
            throw new IllegalStateException("the console CA in " + dir + " is unusable: " + e.getMessage(), e);
        }
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public X509Certificate certificate() {
        return caCert;
    }

    public String fingerprint() {
        return Tls.fingerprint(caCert);
    }

    public PrivateKey serverKey() {
        return serverKey;
    }

    public X509Certificate serverCertificate() {
        return serverCert;
    }

    /** Signs a client (agent) certificate for {@code agentId} and {@code key}. */
    public X509Certificate issueAgent(String agentId, PublicKey key) {
        try {
            return sign(caKey, caCert, new X500Principal("CN=" + agentId), key, AGENT_LIFETIME, KeyPurposeId.id_kp_clientAuth,
                    List.of(), clock);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair kp, String subject, Clock clock)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Principal name = new X500Principal(subject);
        Instant now = clock.instant();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(CA_LIFETIME)), name, kp.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }

    private static X509Certificate sign(PrivateKey caKey, X509Certificate caCert, X500Principal subject, PublicKey key,
                                        Duration lifetime, KeyPurposeId purpose, List<GeneralName> names, Clock clock)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = clock.instant();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(lifetime)), subject, key);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
        if (!names.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
    }

    private static List<GeneralName> serverNames() {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!host.equals("localhost")) {
                names.add(new GeneralName(GeneralName.dNSName, host));
            }
        } catch (IOException e) {
            // no host name: loopback names only
        }
        return names;
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    /** A certificate serial as the store keeps it. */
    public static String serialOf(X509Certificate c) {
        return c.getSerialNumber().toString(16);
    }
}

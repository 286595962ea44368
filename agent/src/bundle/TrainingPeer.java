import io.firstline.wire.Tls;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The peer of the agent archive's training run (build-bundle.sh), never
 * shipped: writes an enrolled-looking state directory whose one self-signed
 * certificate is the agent's, the pinned console CA and the peer's own, then
 * accepts the agent's mutual-TLS connections on loopback and reads what it
 * sends, so the training run loads the classes of a real link. Runs until
 * killed.
 *
 *   java -cp firstline-agent.jar TrainingPeer.java STATE_DIR PORT_FILE
 */
public final class TrainingPeer {
    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        Files.createDirectories(state);
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Principal name = new X500Principal("CN=" + UUID.randomUUID());
        Instant now = Instant.now();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                kp.getPublic()).addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        Tls.writePrivateKey(state.resolve("agent.key"), kp.getPrivate());
        Tls.writeCertificate(state.resolve("agent.crt"), cert);
        Tls.writeCertificate(state.resolve("console-ca.crt"), cert);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("peer", kp.getPrivate(), new char[0], new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("agent", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 10,
                InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            Files.writeString(Path.of(args[1]), server.getLocalPort() + "\n");
            while (true) {
                Socket s = server.accept();
                Thread t = new Thread(() -> drain((SSLSocket) s));
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void drain(SSLSocket s) {
        try (s; InputStream in = s.getInputStream()) {
            s.startHandshake();
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // what the agent sends is not answered: the training needs its side of the link only
            }
        } catch (Exception e) {
            System.err.println("training peer: " + e);
        }
    }
}

import io.firstline.wire.Tls;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The peer of the agent archive's training run (build-bundle.sh), never
 * shipped: writes an enrolled-looking state directory whose one self-signed
 * certificate (made by keytool in build-bundle.sh, a CA so that it can be the
 * pinned one) is the agent's, the pinned console CA and the peer's own, then
 * accepts the agent's mutual-TLS connections on loopback and reads what it
 * sends, so the training run loads the classes of a real link. Runs until
 * killed.
 *
 *   java -cp firstline-agent.jar TrainingPeer.java STATE_DIR PORT_FILE KEYSTORE.p12 PASSWORD
 */
public final class TrainingPeer {
    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        Files.createDirectories(state);
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        char[] password = args[3].toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[2]))) {
            ks.load(in, password);
        }
        PrivateKey key = (PrivateKey) ks.getKey("peer", password);
        X509Certificate cert = (X509Certificate) ks.getCertificate("peer");
        Tls.writePrivateKey(state.resolve("agent.key"), key);
        Tls.writeCertificate(state.resolve("agent.crt"), cert);
        Tls.writeCertificate(state.resolve("console-ca.crt"), cert);

        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
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

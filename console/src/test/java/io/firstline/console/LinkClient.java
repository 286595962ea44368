package io.firstline.console;

import io.firstline.proto.Envelope;
import io.firstline.wire.Tls;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A hand-driven agent-link client for tests: real TLS, optionally a client
 * certificate, frames written and read one at a time, so a test can send
 * what a well-behaved agent never would.
 */
final class LinkClient implements AutoCloseable {
    private final SSLSocket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    private LinkClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.out = new DataOutputStream(socket.getOutputStream());
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects and completes the TLS handshake (the server may still reject the certificate right after). */
    static LinkClient connect(int port, X509Certificate ca, PrivateKey key, X509Certificate cert) throws Exception {
        return connect(port, context(ca, key, cert));
    }

    /** Connects with a given TLS context: a second connection on the same context may resume the first one's session. */
    static LinkClient connect(int port, SSLContext ctx) throws Exception {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.setEnabledProtocols(Tls.PROTOCOLS.toArray(String[]::new));
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return new LinkClient(s);
    }

    /** A client TLS context trusting {@code ca} and presenting {@code cert} (none when {@code key} is null). */
    static SSLContext context(X509Certificate ca, PrivateKey key, X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        KeyManager[] keys = null;
        if (key != null) {
            keys = new KeyManager[] {new AlwaysPresent(key, cert)};
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Presents its certificate whatever issuers the server asks for, as a hostile client would. */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final PrivateKey key;
        private final X509Certificate cert;

        AlwaysPresent(PrivateKey key, X509Certificate cert) {
            this.key = key;
            this.cert = cert;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"agent"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "agent";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "agent";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {cert};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }

    void send(Envelope e) throws IOException {
        byte[] b = e.toByteArray();
        out.writeInt(b.length);
        out.write(b);
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * The next envelope, or null when the console closed the connection. A
     * TicketStatus is skipped: the console pushes one after the Welcome and
     * whenever the agent's tickets change, asynchronously to everything else.
     */
    Envelope read() throws IOException {
        try {
            while (true) {
                int length = in.readInt();
                Envelope e = Envelope.parseFrom(in.readNBytes(length));
                if (!e.hasTicketStatus()) {
                    return e;
                }
            }
        } catch (java.io.EOFException | javax.net.ssl.SSLException | java.net.SocketException closed) {
            return null;
        }
    }

    /** Reads until the console closes the connection; returns the last envelope seen before. */
    Envelope readUntilClosed() throws IOException {
        Envelope last = null;
        Envelope e;
        while ((e = read()) != null) {
            last = e;
        }
        return last;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

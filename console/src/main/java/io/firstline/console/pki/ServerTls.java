package io.firstline.console.pki;

import io.firstline.wire.Tls;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The agent port's TLS: the console's server certificate, TLS 1.3 or 1.2,
 * and a client certificate requested but optional at the TLS layer, because
 * an agent that is not enrolled yet connects without one to enroll. Every
 * other use of the connection (Hello, renewal) requires the certificate; the
 * session checks, resumed sessions included.
 *
 * <p>Served by BoringSSL or the JDK ({@link TlsProvider}); the handshake's
 * heavy steps run on an executor of their own ({@link OffloadedSslContext}).
 * With BoringSSL the session tickets are sealed with {@link SessionTicketKeys},
 * so agents resume across restarts and nodes; the JDK's keys live and die
 * with the process.
 */
public final class ServerTls implements AutoCloseable {
    private final SslContext context;
    private final SslProvider provider;
    private final SessionTicketKeys ticketKeys;
    private final ExecutorService handshakeTasks;
    private long keysDay = Long.MIN_VALUE;

    private ServerTls(SslContext context, SslProvider provider, SessionTicketKeys ticketKeys, ExecutorService handshakeTasks) {
        this.handshakeTasks = handshakeTasks;
        this.context = context;
        this.provider = provider;
        this.ticketKeys = ticketKeys;
    }

    /** A JDK context whose handshakes run on the event loop (tests that need no more). */
    public static SslContext context(ConsoleCa ca, AgentTrust.Revocations revocations) {
        return build(ca, revocations, SslProvider.JDK);
    }

    /**
     * The agent port's TLS with the provider {@code choice} resolves to.
     *
     * @param ticketKeys the session-ticket keys (used with BoringSSL only)
     * @throws IllegalStateException when {@code choice} is {@link TlsProvider#OPENSSL} and it does not load
     */
    public static ServerTls open(ConsoleCa ca, AgentTrust.Revocations revocations, TlsProvider choice, SessionTicketKeys ticketKeys) {
        SslProvider provider = choice.resolve();
        SslContext built = build(ca, revocations, provider);
        // As many as there are cores: the handshake work a wave of agents brings is CPU, and the event loops stay free for samples.
        ExecutorService tasks = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("firstline-tls", true));
        ServerTls tls = new ServerTls(new OffloadedSslContext(built, tasks), provider, ticketKeys, tasks);
        tls.refreshTicketKeys();
        return tls;
    }

    private static SslContext build(ConsoleCa ca, AgentTrust.Revocations revocations, SslProvider provider) {
        // BoringSSL says itself whether a session was resumed; the JDK's key manager is watched for it (HandshakeKind).
        SslContextBuilder b = (provider == SslProvider.OPENSSL
                ? SslContextBuilder.forServer(ca.serverKey(), ca.serverCertificate(), ca.certificate())
                : SslContextBuilder.forServer(jdkKeyManager(ca)))
                .sslProvider(provider)
                .protocols(Tls.PROTOCOLS)
                .trustManager(new AgentTrust(ca.certificate(), revocations))
                .clientAuth(ClientAuth.OPTIONAL);
        if (provider == SslProvider.OPENSSL) {
            // The certificate check (and its revocation lookup) becomes a task the handler hands to its executor.
            b.option(OpenSslContextOption.USE_TASKS, true);
        }
        try {
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the agent port: " + e.getMessage(), e);
        }
    }

    /** The JDK's key manager for the server key and chain, noting full handshakes ({@link FullHandshakeKeyManager}). */
    private static FullHandshakeKeyManager jdkKeyManager(ConsoleCa ca) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", ca.serverKey(), new char[0], new X509Certificate[] {ca.serverCertificate(), ca.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            for (KeyManager km : kmf.getKeyManagers()) {
                if (km instanceof X509ExtendedKeyManager x) {
                    return new FullHandshakeKeyManager(x);
                }
            }
            throw new IllegalStateException("the JDK offers no X509ExtendedKeyManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the agent port's server key: " + e.getMessage(), e);
        }
    }

    public SslContext context() {
        return context;
    }

    /** {@code openssl} or {@code jdk}: the metric's label and the config's word. */
    public String providerName() {
        return provider == SslProvider.OPENSSL ? TlsProvider.OPENSSL.configName() : TlsProvider.JDK.configName();
    }

    /** The provider in words for the log, with BoringSSL's version. */
    public String describe() {
        return provider == SslProvider.OPENSSL
                ? "BoringSSL (" + OpenSsl.versionString() + ", netty-tcnative); session tickets resume across restarts"
                : "the JDK's (" + System.getProperty("java.vendor", "") + " " + Runtime.version() + ")" + unavailableNote();
    }

    private static String unavailableNote() {
        String why = TlsProvider.whyUnavailable();
        return why.isEmpty() ? "" : "; BoringSSL does not load here: " + why;
    }

    /**
     * Sets the day's session-ticket keys if the UTC day changed since the last
     * call (BoringSSL only); called at start and then every few minutes.
     */
    public synchronized void refreshTicketKeys() {
        if (provider != SslProvider.OPENSSL || ticketKeys == null) {
            return;
        }
        long today = ticketKeys.today();
        if (today != keysDay) {
            ((OpenSslSessionContext) context.sessionContext()).setTicketKeys(ticketKeys.current());
            keysDay = today;
        }
    }

    /** Stops the handshake executor (after the agent port closed). */
    @Override
    public void close() {
        handshakeTasks.shutdownNow();
    }
}

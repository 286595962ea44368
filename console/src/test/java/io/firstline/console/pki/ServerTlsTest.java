package io.firstline.console.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.console.TestSupport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent port's TLS over real loopback sockets, once with each provider:
 * mutual TLS with an agent certificate, a second connection that resumes
 * (no certificate check, the agent's certificate still known to the
 * session), a revoked certificate refused; and with BoringSSL, resumption
 * across a restart that keeps the session-ticket secret; each handshake
 * told full or resumed ({@link HandshakeKind}). BoringSSL's run
 * skips where netty-tcnative does not load, and fails there under
 * FIRSTLINE_REQUIRE_TOOLS.
 */
class ServerTlsTest {
    private static EventLoopGroup group;
    @TempDir
    static Path dir;
    private static ConsoleCa ca;

    /** What the revocation check saw: every call is one full handshake's certificate check. */
    private final AtomicInteger checks = new AtomicInteger();
    private final Set<String> revokedSerials = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ca = ConsoleCa.loadOrCreate(dir.resolve("console"), "test-console", Clock.systemUTC());
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static void assumeProvider(TlsProvider provider) {
        if (provider == TlsProvider.OPENSSL && !OpenSsl.isAvailable()) {
            String why = "BoringSSL (netty-tcnative) does not load here: " + TlsProvider.whyUnavailable();
            if (System.getenv(TestSupport.REQUIRE_TOOLS) != null) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    private AgentTrust.Revocations revocations() {
        return (agentId, serial) -> {
            checks.incrementAndGet();
            return revokedSerials.contains(serial);
        };
    }

    private ServerTls open(TlsProvider provider, String secretDir) throws Exception {
        return ServerTls.open(ca, revocations(), provider, SessionTicketKeys.loadOrCreate(dir.resolve(secretDir), Clock.systemUTC()));
    }

    private static AgentCredentials agent(String id) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        return new AgentCredentials(id, kp.getPrivate(), ca.issueAgent(id, kp.getPublic()), ca.certificate());
    }

    private static Channel serve(SslContext tls, CompletableFuture<String>[] serverSide) {
        return serve(tls, serverSide, 0);
    }

    private static Channel serve(SslContext tls, CompletableFuture<String>[] serverSide, int port) {
        return TlsLoopback.serve(group, tls, port, outcome -> serverSide[0].complete(outcome));
    }

    private static String connect(SslContext client, int port) throws Exception {
        return TlsLoopback.connect(group, client, port).get(10, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<String>[] slot() {
        return new CompletableFuture[] {new CompletableFuture<String>()};
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void anAgentConnectsWithItsCertificateAndResumesWithoutAnotherCheck(TlsProvider provider) throws Exception {
        assumeProvider(provider);
        try (ServerTls tls = open(provider, "secret-" + provider)) {
            assertEquals(provider.configName(), tls.providerName());
            CompletableFuture<String>[] server = slot();
            Channel listening = serve(tls.context(), server);
            int port = TlsLoopback.port(listening);
            SslContext client = agent("agent-1").clientContext();
            try {
                assertEquals("agent-1", connect(client, port));
                assertEquals("agent-1", server[0].get(5, TimeUnit.SECONDS));
                assertEquals(1, checks.get(), "the first handshake checks the certificate");

                server[0] = new CompletableFuture<>();
                assertEquals("agent-1", connect(client, port), "a resumed session still knows the agent's certificate");
                assertEquals(1, checks.get(), "the second connection resumed: no certificate check");
            } finally {
                listening.close().syncUninterruptibly();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aRevokedCertificateIsRefusedInTheHandshake(TlsProvider provider) throws Exception {
        assumeProvider(provider);
        try (ServerTls tls = open(provider, "secret-" + provider)) {
            AgentCredentials revoked = agent("agent-2");
            revokedSerials.add(ConsoleCa.serialOf(revoked.certificate()));
            CompletableFuture<String>[] server = slot();
            Channel listening = serve(tls.context(), server);
            try {
                String answer = connect(revoked.clientContext(), TlsLoopback.port(listening));
                assertFalse(answer.equals("agent-2"), "a revoked agent got an answer: " + answer);
                assertTrue(server[0].get(5, TimeUnit.SECONDS).startsWith("failed:"), "the server's handshake failed");
            } finally {
                listening.close().syncUninterruptibly();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = "OPENSSL")
    void withBoringSslAnAgentResumesAfterARestartThatKeptTheSecret(TlsProvider provider) throws Exception {
        assumeProvider(provider);
        SslContext client = agent("agent-3").clientContext();
        int port;
        CompletableFuture<String>[] server = slot();
        try (ServerTls before = open(provider, "kept")) {
            Channel listening = serve(before.context(), server);
            port = TlsLoopback.port(listening);
            assertEquals("agent-3", connect(client, port));
            listening.close().syncUninterruptibly();
        }
        assertEquals(1, checks.get());
        // The next process: a new context on the same port with the secret read back from the file.
        try (ServerTls after = open(provider, "kept")) {
            Channel listening = serve(after.context(), server, port);
            try {
                assertEquals("agent-3", connect(client, port));
                assertEquals(1, checks.get(), "resumed across the restart: no certificate check");
            } finally {
                listening.close().syncUninterruptibly();
            }
        }
        // A node with another secret cannot open the ticket: a full handshake, which succeeds.
        try (ServerTls other = open(provider, "other")) {
            Channel listening = serve(other.context(), server, port);
            try {
                assertEquals("agent-3", connect(client, port));
                assertEquals(2, checks.get(), "another secret: the certificate is checked again");
            } finally {
                listening.close().syncUninterruptibly();
            }
        }
    }

    /**
     * The kind each provider reports, over TLS 1.3 and 1.2: the first
     * connection is a full handshake, the next ones resume (no certificate
     * check, which the revocation counter confirms), and a client without a
     * certificate (as when enrolling) is a full handshake too, though no
     * certificate of its own is checked.
     */
    @ParameterizedTest
    @CsvSource({"JDK, TLSv1.3", "JDK, TLSv1.2", "OPENSSL, TLSv1.3", "OPENSSL, TLSv1.2"})
    void eachHandshakeIsToldFullOrResumed(TlsProvider provider, String protocol) throws Exception {
        assumeProvider(provider);
        AgentCredentials agent = agent("agent-4");
        SslContext client = SslContextBuilder.forClient().keyManager(agent.key(), agent.certificate())
                .trustManager(ca.certificate()).protocols(protocol).build();
        SslContext anonymous = SslContextBuilder.forClient().trustManager(ca.certificate()).protocols(protocol).build();
        List<HandshakeKind> kinds = new CopyOnWriteArrayList<>();
        try (ServerTls tls = open(provider, "secret-kinds-" + provider)) {
            Channel listening = TlsLoopback.serve(group, tls.context(), 0, outcome -> { }, kinds::add);
            int port = TlsLoopback.port(listening);
            try {
                for (int i = 0; i < 3; i++) {
                    assertEquals("agent-4", connect(client, port));
                }
                assertEquals(1, checks.get(), "one certificate check: the first connection");
                assertEquals("-", connect(anonymous, port));
                org.awaitility.Awaitility.await().until(() -> kinds.size() == 4);
                assertEquals(List.of(HandshakeKind.FULL, HandshakeKind.RESUMED, HandshakeKind.RESUMED, HandshakeKind.FULL), kinds);
            } finally {
                listening.close().syncUninterruptibly();
            }
        }
    }
}

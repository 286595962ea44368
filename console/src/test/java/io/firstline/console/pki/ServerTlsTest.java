package io.firstline.console.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.console.TestSupport;
import io.firstline.wire.Tls;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent port's TLS over real loopback sockets, once with each provider:
 * mutual TLS with an agent certificate, a second connection that resumes
 * (no certificate check, the agent's certificate still known to the
 * session), a revoked certificate refused; and with BoringSSL, resumption
 * across a restart that keeps the session-ticket secret. BoringSSL's run
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

    /** A server that answers each handshake with the client certificate's CN (or the failure) and a newline. */
    private static Channel serve(SslContext tls, CompletableFuture<String>[] serverSide) {
        return serve(tls, serverSide, 0);
    }

    private static Channel serve(SslContext tls, CompletableFuture<String>[] serverSide, int port) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                                if (evt instanceof SslHandshakeCompletionEvent done) {
                                    if (!done.isSuccess()) {
                                        serverSide[0].complete("failed: " + done.cause());
                                        return;
                                    }
                                    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                                    String cn = Tls.commonName((X509Certificate) ssl.engine().getSession().getPeerCertificates()[0]);
                                    serverSide[0].complete(cn);
                                    ctx.writeAndFlush(Unpooled.copiedBuffer(cn + "\n", StandardCharsets.US_ASCII));
                                }
                            }
                        });
                    }
                }).bind("127.0.0.1", port).syncUninterruptibly().channel();
    }

    /** Connects as the agent with {@code client} (its session cache kept between calls); the server's answer line. */
    private static String connect(SslContext client, int port) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast(client.newHandler(c.alloc(), "127.0.0.1", port), new ChannelInboundHandlerAdapter() {
                    private final StringBuilder line = new StringBuilder();

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        line.append(b.toString(StandardCharsets.US_ASCII));
                        b.release();
                        if (line.indexOf("\n") >= 0) {
                            answer.complete(line.toString().strip());
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        answer.complete("closed");
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        answer.complete("error: " + cause);
                        ctx.close();
                    }
                });
            }
        }).connect(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } finally {
            ch.close().syncUninterruptibly();
        }
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
            int port = ((InetSocketAddress) listening.localAddress()).getPort();
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
                String answer = connect(revoked.clientContext(), ((InetSocketAddress) listening.localAddress()).getPort());
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
            port = ((InetSocketAddress) listening.localAddress()).getPort();
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
}

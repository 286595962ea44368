package io.firstline.console.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.console.pki.ServerTls;
import io.firstline.console.pki.SessionTicketKeys;
import io.firstline.console.pki.TlsLoopback;
import io.firstline.console.pki.TlsProvider;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one agent connection costs the console in CPU, by TLS provider and
 * handshake kind, run by {@code bench/connection-cost.sh} (never by
 * {@code ./mvnw verify}). The console side is the agent port's real TLS
 * ({@link ServerTls}: client certificate checked against the CA and a
 * revocation callback, handshake work on its executor) on an event loop of
 * its own; the agents are JDK clients with real agent certificates, as the
 * agent link makes them, {@code bench.concurrency} connecting at a time.
 * Each connection completes the handshake, reads one line the server writes
 * after reading the client certificate (so the agent has the session
 * ticket), and closes. The console's CPU is the sum over its threads (event
 * loop and TLS executor; the clients' threads are not counted), per
 * connection:
 * <ul>
 *   <li>first: every connection a full handshake (a fresh client session cache each time);</li>
 *   <li>resumed: one client session cache per agent, primed, then every connection resumes.</li>
 * </ul>
 */
@Tag("benchmark")
class ConnectionCostBenchmark {
    static final int CONNECTIONS = Integer.getInteger("bench.connections", 2000);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    static final int AGENTS = 32;

    @TempDir
    Path dir;

    @Test
    void connectionCost() throws Exception {
        ConsoleCa ca = ConsoleCa.loadOrCreate(dir.resolve("console"), "bench", Clock.systemUTC());
        List<AgentCredentials> agents = new ArrayList<>();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        for (int i = 0; i < AGENTS; i++) {
            KeyPair kp = g.generateKeyPair();
            agents.add(new AgentCredentials("agent-" + i, kp.getPrivate(), ca.issueAgent("agent-" + i, kp.getPublic()), ca.certificate()));
        }
        List<TlsProvider> providers = new ArrayList<>(List.of(TlsProvider.JDK));
        if (OpenSsl.isAvailable()) {
            providers.add(TlsProvider.OPENSSL);
        } else {
            System.out.println("BoringSSL does not load here: " + TlsProvider.whyUnavailable());
        }
        EventLoopGroup clients = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("bench-client"), NioIoHandler.newFactory());
        try {
            for (TlsProvider p : providers) {
                for (boolean resumed : new boolean[] {false, true}) {
                    run(ca, agents, p, resumed, clients, CONNECTIONS / 4, false);
                    run(ca, agents, p, resumed, clients, CONNECTIONS, true);
                }
            }
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void run(ConsoleCa ca, List<AgentCredentials> agents, TlsProvider provider, boolean resumed, EventLoopGroup clients,
                     int connections, boolean report) throws Exception {
        AtomicInteger checks = new AtomicInteger();
        EventLoopGroup server = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("console-loop"), NioIoHandler.newFactory());
        try (ServerTls tls = ServerTls.open(ca, (id, serial) -> checks.incrementAndGet() < 0, provider,
                SessionTicketKeys.loadOrCreate(dir.resolve("pki"), Clock.systemUTC()))) {
            Channel listening = TlsLoopback.serve(server, tls.context(), 0, outcome -> { });
            int port = TlsLoopback.port(listening);
            List<SslContext> cached = new ArrayList<>();
            for (AgentCredentials a : agents) {
                cached.add(a.clientContext());
            }
            if (resumed) {
                for (SslContext c : cached) {
                    TlsLoopback.connect(clients, c, port).get(10, TimeUnit.SECONDS);
                }
            }
            int checksBefore = checks.get();
            long cpuBefore = consoleCpuNanos();
            long wallBefore = System.nanoTime();
            Semaphore inFlight = new Semaphore(CONCURRENCY);
            List<CompletableFuture<String>> all = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                inFlight.acquire();
                SslContext client = resumed ? cached.get(i % cached.size()) : agents.get(i % agents.size()).clientContext();
                CompletableFuture<String> f = TlsLoopback.connect(clients, client, port);
                f.whenComplete((v, e) -> inFlight.release());
                all.add(f);
            }
            for (CompletableFuture<String> f : all) {
                assertEquals(true, f.get(30, TimeUnit.SECONDS).startsWith("agent-"));
            }
            long cpu = consoleCpuNanos() - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            int fullHandshakes = checks.get() - checksBefore;
            listening.close().syncUninterruptibly();
            if (report) {
                System.out.printf("provider=%s handshake=%s connections=%d full_handshakes=%d console_cpu_ms_per_connection=%.3f"
                                + " connections_per_second=%.0f%n", tls.providerName(), resumed ? "resumed" : "first", connections,
                        fullHandshakes, cpu / 1e6 / connections, connections / (wall / 1e9));
            }
        } finally {
            server.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** CPU time of the console's threads: its event loop and the TLS executor. */
    private static long consoleCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && (t.getThreadName().startsWith("console-loop") || t.getThreadName().startsWith("firstline-tls"))) {
                long c = mx.getThreadCpuTime(t.getThreadId());
                sum += Math.max(0, c);
            }
        }
        return sum;
    }
}

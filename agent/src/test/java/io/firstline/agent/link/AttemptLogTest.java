package io.firstline.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.proto.Hello;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An agent pointed at something that is not a console says why at WARN, with
 * the address, for every kind of failed attempt, without repeating itself more
 * than once a minute.
 */
class AttemptLogTest {
    private static final ConsoleAddress A = new ConsoleAddress("127.0.0.1", 7443);
    private static final ConsoleAddress B = new ConsoleAddress("console-b", 7443);

    @Test
    void theFirstFailureAndEachNewReasonAreLoggedRepeatsAtMostOncePerMinute() {
        AtomicLong nanos = new AtomicLong();
        AttemptLog log = new AttemptLog(nanos::get);
        Duration retry = Duration.ofMillis(1600);
        assertEquals(Optional.of("cannot connect to console 127.0.0.1:7443: refused (attempt 1; next in 1.6 s)"),
                log.failed(A, "refused", retry));
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(Optional.empty(), log.failed(A, "refused", retry));
        nanos.addAndGet(Duration.ofSeconds(3).toNanos());
        assertEquals(Optional.empty(), log.failed(A, "refused", retry));
        // Another address or another reason is news: logged at once.
        assertEquals(Optional.of("cannot connect to console console-b:7443: refused (attempt 4, 2 more failed since the last report;"
                + " next in 1.6 s)"), log.failed(B, "refused", retry));
        assertTrue(log.failed(B, "the peer does not speak TLS", retry).isPresent());
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertEquals(Optional.empty(), log.failed(B, "the peer does not speak TLS", retry));
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertEquals(Optional.of("cannot connect to console console-b:7443: the peer does not speak TLS"
                + " (attempt 7, 1 more failed since the last report; next in 120.0 s)"),
                log.failed(B, "the peer does not speak TLS", Duration.ofSeconds(120)));
        assertEquals(7, log.succeeded());
        assertEquals(Optional.of("cannot connect to console 127.0.0.1:7443: refused (attempt 1; next in 1.6 s)"),
                log.failed(A, "refused", retry));
    }

    /** A server that answers every connection like an HTTP server would, then hangs up. */
    private static Thread httpLikeServer(ServerSocket server) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[512]);
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // closed by the test
                }
            }
        }, "http-like-server");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void anAgentPointedAtAPortThatDoesNotSpeakTlsSaysSoAtWarnWithTheAddress() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket closedPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            httpLikeServer(server);
            int refusedPort = closedPort.getLocalPort();
            closedPort.close();
            ConsoleAddress http = new ConsoleAddress("127.0.0.1", server.getLocalPort());
            ConsoleAddress nothing = new ConsoleAddress("127.0.0.1", refusedPort);
            System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
            AgentLink.Settings settings = new AgentLink.Settings(List.of(http, nothing), 1, 1 << 20, Duration.ofSeconds(10), 50,
                    LinkSecurity.of(SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build()));
            Supplier<Hello> hello = () -> Hello.newBuilder().setAgentId("a1").setBootEpoch(1).build();
            try (AgentLink link = new AgentLink(settings, new MemoryOutbox(100, 1), hello, List::of, w -> { }, new SplittableRandom(1))) {
                link.start();
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                    String log = captured.toString(StandardCharsets.UTF_8);
                    return log.contains("WARN") && log.contains("cannot connect to console " + http + ": the peer does not speak TLS")
                            && log.contains("cannot connect to console " + nothing + ": Connection refused");
                });
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(!log.contains("485454502f"), "no hex dump of what the peer sent: " + log);
    }

    /** Writes to the real stderr and keeps a copy. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}

package io.firstline.agent.diagnose;

import io.firstline.wire.KeyValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.firstline.agent.collect.HostProbe;
import io.firstline.proto.DiagnosticRequest;
import io.firstline.proto.DiagnosticResult;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The actions that use the network or an outside program, for real on
 * loopback: an HTTP check against a real HTTP server, and a packet capture
 * with the real tcpdump (root and tcpdump needed; skipped elsewhere, a
 * failure where FIRSTLINE_REQUIRE_TOOLS is set, as in CI).
 */
class RealToolsTest {
    private final List<DiagnosticResult> sent = new CopyOnWriteArrayList<>();
    private Diagnostics diagnostics;

    @BeforeEach
    void start() {
        diagnostics = new Diagnostics(new DiagnosticsConfig(true, Set.copyOf(io.firstline.diagnostics.Action.names()), Map.of(),
                List.of("/tmp"), List.of("lo")), new HostProbe(), e -> sent.add(e.build().getDiagnosticResult()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        diagnostics.close();
    }

    private DiagnosticResult run(long id, String action, Map<String, String> params) {
        diagnostics.request(DiagnosticRequest.newBuilder().setRequestId(id).setAction(action).addAllParams(KeyValues.of(params)).build());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> last(id).isPresent());
        return last(id).get();
    }

    private Optional<DiagnosticResult> last(long id) {
        return sent.stream().filter(r -> r.getRequestId() == id && r.getLast()).findFirst();
    }

    private byte[] data(long id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sent.stream().filter(r -> r.getRequestId() == id).forEach(r -> out.writeBytes(r.getData().toByteArray()));
        return out.toByteArray();
    }

    @Test
    void httpCheckReadsStatusHeadersAndTheFirstBytes() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", ex -> {
            byte[] body = "all good\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            DiagnosticResult ok = run(1, "http_check", Map.of("url", url + "/health"));
            assertEquals(DiagnosticResult.Outcome.DONE, ok.getOutcome(), ok.toString());
            assertEquals("200", KeyValues.toMap(ok.getSummaryList()).get("status"));
            String text = new String(data(1), StandardCharsets.UTF_8);
            assertTrue(text.contains("all good") && text.contains("Content-Type: text/plain"), text);
            DiagnosticResult missing = run(2, "http_check", Map.of("url", url + "/nope", "method", "HEAD"));
            assertEquals(DiagnosticResult.Outcome.DONE, missing.getOutcome());
            assertEquals("404", KeyValues.toMap(missing.getSummaryList()).get("status"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void packetCaptureOnLoopbackIsARealPcap() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name")) && System.getProperty("os.name", "").startsWith("Linux");
        if (!root || Tools.find("tcpdump").isEmpty()) {
            String message = "a packet capture needs root and tcpdump (Debian package 'tcpdump'); test skipped";
            if (System.getenv("FIRSTLINE_REQUIRE_TOOLS") != null) {
                fail(message.replace("test skipped", "FIRSTLINE_REQUIRE_TOOLS is set, so this is a failure"));
            }
            Assumptions.abort(message);
        }
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = target.getLocalPort();
            Thread traffic = new Thread(() -> {
                for (int i = 0; i < 40 && !Thread.currentThread().isInterrupted(); i++) {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port); Socket in = target.accept()) {
                        s.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
                        Thread.sleep(50);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            traffic.setDaemon(true);
            traffic.start();
            DiagnosticResult r = run(1, "packet_capture", Map.of("interface", "lo", "filter", "tcp and port " + port, "seconds", "2",
                    "packets", "50"));
            traffic.interrupt();
            assertEquals(DiagnosticResult.Outcome.DONE, r.getOutcome(), r.toString());
            assertEquals("application/vnd.tcpdump.pcap", r.getContentType());
            byte[] pcap = data(1);
            assertTrue(pcap.length > 24 + 16, "a pcap header and at least one packet: " + pcap.length + " bytes");
            int magic = (pcap[0] & 0xff) | (pcap[1] & 0xff) << 8 | (pcap[2] & 0xff) << 16 | (pcap[3] & 0xff) << 24;
            assertTrue(magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d || magic == 0x4d3cb2a1,
                    "pcap magic, got " + Integer.toHexString(magic));
        }
        // An interface not on the agent's list is refused without starting tcpdump.
        DiagnosticResult refused = run(2, "packet_capture", Map.of("interface", "eth0"));
        assertEquals(DiagnosticResult.Outcome.REFUSED, refused.getOutcome());
    }
}

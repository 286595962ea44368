package io.firstline.agent.diagnose;

import io.firstline.wire.KeyValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.collect.HostProbe;
import io.firstline.diagnostics.DiagnosticLimits;
import io.firstline.proto.DiagnosticRequest;
import io.firstline.proto.DiagnosticResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The actions for real on this machine, within their limits, and the result chunks they make. */
class DiagnosticsTest {
    @TempDir
    Path dir;
    private final List<DiagnosticResult> sent = new CopyOnWriteArrayList<>();
    private Diagnostics diagnostics;
    private Path log;

    @BeforeEach
    void start() throws Exception {
        log = dir.resolve("app.log");
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            b.append("line ").append(i).append(i % 1000 == 0 ? " ERROR disk" : "").append(' ').append("x".repeat(300)).append('\n');
        }
        Files.writeString(log, b.toString());
        Files.createDirectories(dir.resolve("tree/big"));
        Files.createDirectories(dir.resolve("tree/small"));
        Files.write(dir.resolve("tree/big/a.bin"), new byte[300_000]);
        Files.write(dir.resolve("tree/small/b.bin"), new byte[1000]);
        diagnostics = new Diagnostics(new DiagnosticsConfig(true, Set.copyOf(io.firstline.diagnostics.Action.names()),
                Map.of("app", log.toString()), List.of(dir.toString()), List.of()), new HostProbe(),
                e -> sent.add(e.build().getDiagnosticResult()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        diagnostics.close();
    }

    private DiagnosticResult run(long id, String action, Map<String, String> params, int timeoutMs) {
        diagnostics.request(DiagnosticRequest.newBuilder().setRequestId(id).setAction(action).addAllParams(KeyValues.of(params))
                .setTimeoutMs(timeoutMs).build());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> last(id).isPresent());
        return last(id).get();
    }

    private Optional<DiagnosticResult> last(long id) {
        return sent.stream().filter(r -> r.getRequestId() == id && r.getLast()).findFirst();
    }

    private String text(long id) {
        StringBuilder s = new StringBuilder();
        sent.stream().filter(r -> r.getRequestId() == id).forEach(r -> s.append(r.getData().toString(StandardCharsets.UTF_8)));
        return s.toString();
    }

    @Test
    void tcpConnectReachesAListeningPortAndSaysWhyWhenNothingListens() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            DiagnosticResult r = run(1, "tcp_connect", Map.of("host", "127.0.0.1", "port", Integer.toString(s.getLocalPort())), 0);
            assertEquals(DiagnosticResult.Outcome.DONE, r.getOutcome(), r.toString());
            assertEquals("true", KeyValues.toMap(r.getSummaryList()).get("connected"));
            closed = s.getLocalPort();
        }
        DiagnosticResult r = run(2, "tcp_connect", Map.of("host", "127.0.0.1", "port", Integer.toString(closed)), 0);
        assertEquals(DiagnosticResult.Outcome.FAILED, r.getOutcome());
        assertTrue(r.getMessage().contains("cannot connect to 127.0.0.1:" + closed), r.getMessage());
    }

    @Test
    void dnsLookupResolvesLocalhost() {
        DiagnosticResult r = run(1, "dns_lookup", Map.of("name", "localhost", "type", "A"), 0);
        assertEquals(DiagnosticResult.Outcome.DONE, r.getOutcome(), r.toString());
        assertTrue(text(1).contains("127.0.0.1"), text(1));
    }

    @Test
    void logTailGrepsWithRe2AndKeepsTheLastLines() {
        DiagnosticResult r = run(1, "log_tail", Map.of("log", "app", "grep", "ERROR (disk|net)", "lines", "3"), 0);
        assertEquals(DiagnosticResult.Outcome.DONE, r.getOutcome(), r.toString());
        String out = text(1);
        assertTrue(out.contains("line 3000 ERROR") && out.contains("line 5000 ERROR") && !out.contains("line 2000 ERROR"), out);
        // A pattern that backtracking engines take exponential time on is linear here.
        DiagnosticResult evil = run(2, "log_tail", Map.of("log", "app", "grep", "(x+x+)+y", "lines", "1000"), 0);
        assertEquals(DiagnosticResult.Outcome.DONE, evil.getOutcome(), evil.toString());
        assertTrue(evil.getFinishedMs() - evil.getStartedMs() < 10_000);
    }

    @Test
    void outputOverTheCapIsCutMarkedAndSentInChunks() {
        DiagnosticResult r = run(1, "log_tail", Map.of("log", "app", "lines", "1000"), 0);
        assertEquals(DiagnosticResult.Outcome.DONE, r.getOutcome());
        assertTrue(r.getTruncated(), "1000 lines of 300 bytes pass the 256 KiB cap");
        List<DiagnosticResult> chunks = sent.stream().filter(c -> c.getRequestId() == 1).toList();
        assertEquals(DiagnosticLimits.OUTPUT_CAP / DiagnosticLimits.CHUNK_BYTES, chunks.size());
        chunks.forEach(c -> assertTrue(c.getData().size() <= DiagnosticLimits.CHUNK_BYTES));
        assertEquals(DiagnosticLimits.OUTPUT_CAP, chunks.stream().mapToInt(c -> c.getData().size()).sum());
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(i, chunks.get(i).getChunk());
            assertEquals(i == chunks.size() - 1, chunks.get(i).getLast());
        }
    }

    @Test
    void diskUsageShowsTheLargestDirectoriesUnderARoot() {
        DiagnosticResult r = run(1, "disk_usage", Map.of("path", dir.resolve("tree").toString()), 0);
        assertEquals(DiagnosticResult.Outcome.DONE, r.getOutcome(), r.toString());
        String out = text(1);
        assertTrue(out.indexOf("tree/big") < out.indexOf("tree/small") && out.indexOf("tree/big") > 0, out);
        assertTrue(r.getMessage().contains("largest " + dir.resolve("tree/big")), r.getMessage());
    }

    @Test
    void atMostTwoRunAtOnceAndAnActionPastItsTimeoutEndsTimedOut() {
        for (long id = 1; id <= 3; id++) {
            diagnostics.request(DiagnosticRequest.newBuilder().setRequestId(id).setAction("top_processes").build());
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> last(1).isPresent() && last(2).isPresent() && last(3).isPresent());
        assertEquals(DiagnosticResult.Outcome.REFUSED, last(3).get().getOutcome());
        assertTrue(last(3).get().getMessage().contains("2 diagnostics are running"), last(3).get().getMessage());
        assertEquals(DiagnosticResult.Outcome.DONE, last(1).get().getOutcome());
        // top_processes waits between its two looks: a 1 ms timeout stops it.
        DiagnosticResult slow = run(4, "top_processes", Map.of(), 1);
        assertEquals(DiagnosticResult.Outcome.TIMED_OUT, slow.getOutcome(), slow.toString());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> diagnostics.running() == 0);
    }

    @Test
    void hostViewsRunHere() {
        for (String action : List.of("routes", "connections", "interfaces", "mounts")) {
            DiagnosticResult r = run(action.hashCode() & 0xffff, action, Map.of(), 0);
            assertEquals(DiagnosticResult.Outcome.DONE, r.getOutcome(), action + ": " + r);
            assertFalse(r.getMessage().isEmpty(), action);
        }
    }

    @Test
    void aBundlePacksSeveralActionsAsOneZip() throws Exception {
        DiagnosticResult r = run(1, "bundle", Map.of("actions", "routes,interfaces"), 0);
        assertEquals(DiagnosticResult.Outcome.DONE, r.getOutcome(), r.toString());
        assertEquals("application/zip", r.getContentType());
        byte[] zip = sent.stream().filter(c -> c.getRequestId() == 1).map(c -> c.getData().toByteArray())
                .reduce(new byte[0], (a, b) -> { byte[] x = java.util.Arrays.copyOf(a, a.length + b.length);
                    System.arraycopy(b, 0, x, a.length, b.length); return x; });
        List<String> names = new java.util.ArrayList<>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertEquals(List.of("01-routes.txt", "02-interfaces.txt", "summary.txt"), names);
    }

    @Test
    void procNetParsersReadKernelTables() throws Exception {
        List<ProcNet.Route> routes = ProcNet.parseRoutes(List.of(
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
                "eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
                "eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0"));
        assertEquals(new ProcNet.Route("eth0", "0.0.0.0/0", "192.168.2.1", "100"), routes.get(0));
        assertEquals("192.168.2.0/24", routes.get(1).destination());
        List<ProcNet.Socket> socks = ProcNet.parseSockets("tcp", List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 12345 1"));
        assertEquals(new ProcNet.Socket("tcp", "127.0.0.1:8080", "0.0.0.0:0", "LISTEN", "1000"), socks.get(0));
        assertEquals("0:0:0:0:0:0:0:1", ProcNet.ipv6Words("00000000000000000000000001000000"));
    }
}

package io.firstline.agent.link;

import io.firstline.wire.KeyValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.diagnose.Diagnostics;
import io.firstline.agent.diagnose.DiagnosticsConfig;
import io.firstline.proto.DiagnosticRequest;
import io.firstline.proto.DiagnosticResult;
import io.firstline.proto.Envelope;
import io.firstline.proto.Hello;
import io.firstline.wire.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent decides: a console modified to skip its own checks sends, as
 * frames on the agent's real link handler, requests the agent's config does
 * not allow, and the agent refuses every one of them without running
 * anything, keeps the connection, and still runs what it does allow.
 */
class DiagnosticRefusalTest {
    @TempDir
    Path dir;
    private final List<DiagnosticResult> results = new CopyOnWriteArrayList<>();
    private AgentLink link;
    private Diagnostics diagnostics;
    private EmbeddedChannel channel;
    private Path allowed;
    private Path app;

    @BeforeEach
    void agent() throws Exception {
        allowed = Files.createDirectories(dir.resolve("allowed"));
        Files.writeString(allowed.resolve("data.bin"), "x".repeat(10_000));
        Files.createSymbolicLink(allowed.resolve("escape"), Path.of("/etc"));
        app = dir.resolve("app.log");
        Files.writeString(app, "one\nERROR two\nthree\nERROR four\n");
        // This agent's own config: three actions, one log, one disk-usage root, no capture interface.
        DiagnosticsConfig config = new DiagnosticsConfig(true, Set.of("log_tail", "disk_usage", "packet_capture"),
                Map.of("app", app.toString()), List.of(allowed.toString()), List.of());
        start(config);
    }

    private void start(DiagnosticsConfig config) throws Exception {
        diagnostics = new Diagnostics(config, new HostProbe(), b -> results.add(b.build().getDiagnosticResult()), Clock.systemUTC());
        AgentLink.Settings settings = new AgentLink.Settings(List.of(new ConsoleAddress("127.0.0.1", 1)), 1, 1 << 20,
                Duration.ofSeconds(10), 50, LinkSecurity.of(SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build()));
        link = new AgentLink(settings, new MemoryOutbox(100, 1), () -> Hello.newBuilder().setAgentId("a1").setBootEpoch(1)
                .setDiagnostics(diagnostics.capabilities()).build(), List::of, new AgentLink.Listener() {
                    @Override
                    public void welcomed(io.firstline.proto.Welcome welcome) {
                    }

                    @Override
                    public void diagnosticRequest(DiagnosticRequest request) {
                        diagnostics.request(request);
                    }
                }, new SplittableRandom(1));
        channel = new EmbeddedChannel(new io.netty.channel.ChannelInitializer<io.netty.channel.Channel>() {
            @Override
            protected void initChannel(io.netty.channel.Channel ch) {
                Framing.addCodec(ch.pipeline(), 1 << 20);
                ch.pipeline().addLast(new LinkHandler(link));
            }
        });
    }

    @AfterEach
    void stop() {
        link.close(); // first, so that the channel's close is not taken for a failed connection attempt
        channel.finishAndReleaseAll();
        diagnostics.close();
    }

    /** What a console sends: a length-prefixed Envelope, as bytes on the wire. */
    private void fromConsole(long id, String action, Map<String, String> params, int timeoutMs) {
        byte[] body = Envelope.newBuilder().setDiagnosticRequest(DiagnosticRequest.newBuilder().setRequestId(id).setAction(action)
                .addAllParams(KeyValues.of(params)).setTimeoutMs(timeoutMs)).build().toByteArray();
        ByteBuf frame = Unpooled.buffer().writeInt(body.length).writeBytes(body);
        channel.writeInbound(frame);
    }

    private DiagnosticResult last(long id) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> find(id).isPresent());
        return find(id).get();
    }

    private Optional<DiagnosticResult> find(long id) {
        return results.stream().filter(r -> r.getRequestId() == id && r.getLast()).findFirst();
    }

    private void assertRefused(long id, String mentions) {
        DiagnosticResult r = last(id);
        assertEquals(DiagnosticResult.Outcome.REFUSED, r.getOutcome(), r.toString());
        assertTrue(r.getMessage().contains(mentions), r.getMessage());
        assertEquals(0, r.getData().size(), "a refused request produces no output");
    }

    @Test
    void theHelloTellsTheConsoleWhatThisAgentAllows() {
        // What the agent wrote: a 4-byte length and the Hello (the prepender writes them as two buffers).
        io.netty.buffer.CompositeByteBuf wire = Unpooled.compositeBuffer();
        for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
            wire.addComponent(true, b);
        }
        Envelope hello;
        try {
            int length = wire.readInt();
            hello = Envelope.parseFrom(io.netty.buffer.ByteBufUtil.getBytes(wire, wire.readerIndex(), length));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        } finally {
            wire.release();
        }
        assertNotNull(hello.getHello());
        assertEquals(List.of("disk_usage", "log_tail", "packet_capture"), hello.getHello().getDiagnostics().getActionsList());
        assertEquals(List.of("app"), hello.getHello().getDiagnostics().getLogsList());
    }

    @Test
    void requestsOutsideTheAgentsOwnListAreRefusedWhateverTheConsoleSends() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            target.setSoTimeout(500);
            // An action this agent does not allow: nothing connects.
            fromConsole(1, "tcp_connect", Map.of("host", "127.0.0.1", "port", Integer.toString(target.getLocalPort())), 0);
            assertRefused(1, "tcp_connect is not allowed by this agent's config");
            try {
                target.accept().close();
                throw new AssertionError("the agent connected although tcp_connect is not allowed");
            } catch (SocketTimeoutException expected) {
                // nothing came
            }
        }
        fromConsole(2, "log_tail", Map.of("log", "shadow"), 0);
        assertRefused(2, "'shadow' is not on this agent's list");
        fromConsole(3, "disk_usage", Map.of("path", "/etc"), 0);
        assertRefused(3, "not under one of this agent's disk-usage roots");
        fromConsole(4, "disk_usage", Map.of("path", allowed + "/../../etc"), 0);
        assertRefused(4, "'path' must not contain '..'");
        fromConsole(5, "shell", Map.of("cmd", "rm -rf /"), 0);
        assertRefused(5, "unknown action 'shell'");
        fromConsole(6, "log_tail", Map.of("log", "app", "lines", "1000000"), 0);
        assertRefused(6, "'lines' must be a whole number from 1 to 1000");
        fromConsole(7, "log_tail", Map.of("log", "app"), 600_000);
        assertRefused(7, "timeout must be from 1 to 60000 ms");
        fromConsole(8, "packet_capture", Map.of("interface", "lo"), 0);
        assertRefused(8, "not on this agent's capture list");
        fromConsole(9, "log_tail", Map.of("log", "app", "path", "/etc/shadow"), 0);
        assertRefused(9, "unknown parameter 'path'");
        // A symbolic link inside the root that leads out of it: refused when the agent resolves it.
        fromConsole(10, "disk_usage", Map.of("path", allowed.resolve("escape").toString()), 0);
        assertRefused(10, "outside this agent's disk-usage roots");
        assertTrue(channel.isActive(), "refusals never close the link");

        // What it allows still runs, on the same connection.
        fromConsole(11, "log_tail", Map.of("log", "app", "grep", "ERROR", "lines", "10"), 0);
        DiagnosticResult ok = last(11);
        assertEquals(DiagnosticResult.Outcome.DONE, ok.getOutcome(), ok.toString());
        String text = ok.getData().toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("ERROR two\nERROR four\n") && !text.contains("three"), text);
    }

    @Test
    void anAgentWithDiagnosticsOffRefusesEverything() throws Exception {
        stop();
        start(DiagnosticsConfig.off());
        fromConsole(1, "top_processes", Map.of(), 0);
        assertRefused(1, "diagnostics are off on this agent");
    }
}

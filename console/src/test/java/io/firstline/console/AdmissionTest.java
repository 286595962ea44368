package io.firstline.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.enroll.BusyRetry;
import io.firstline.agent.enroll.Enroller;
import io.firstline.agent.link.AgentLink;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.agent.link.LinkSecurity;
import io.firstline.agent.link.MemoryOutbox;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.TokenInfo;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Welcome;
import io.firstline.wire.WireProtocol;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission over real loopback sockets: many agents connect at once to a
 * console that handshakes only a few at a time. The rest are refused before
 * TLS with a return slot, come back when told, and every agent is connected
 * with no handshake timing out; then the console stops and tells them so.
 */
class AdmissionTest {
    private static final int AGENTS = 48;
    private static final int MAX_HANDSHAKES = 3;

    @TempDir
    Path dir;
    private Console console;
    private final List<AgentLink> links = new ArrayList<>();
    private EventLoopGroup loops;

    @AfterEach
    void stop() {
        links.forEach(AgentLink::close);
        if (loops != null) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (console != null) {
            console.close();
        }
    }

    private double rejected(String reason) {
        return console.metrics().registry().get("firstline.connections.rejected").tag("reason", reason).counter().count();
    }

    private AgentLink link(AgentCredentials c, ConsoleAddress address, long seed) {
        long epoch = System.currentTimeMillis();
        Hello hello = Hello.newBuilder().setAgentId(c.agentId()).setBootEpoch(epoch).setAgentVersion("test")
                .setProtocolVersion(WireProtocol.VERSION).setMinProtocolVersion(WireProtocol.MIN_VERSION)
                .setHost(HostFacts.newBuilder().setHostname(c.agentId())).build();
        AgentLink.Settings settings = new AgentLink.Settings(List.of(address), epoch, WireProtocol.DEFAULT_MAX_FRAME_BYTES,
                Duration.ofSeconds(5), AgentLink.Settings.DEFAULT_BACKFILL_PER_SECOND, LinkSecurity.of(c.clientContext()));
        return new AgentLink(settings, new MemoryOutbox(100, epoch), () -> hello, List::of, (Welcome w) -> { },
                new SplittableRandom(seed), loops);
    }

    private List<AgentCredentials> enroll(ConsoleAddress address, TokenInfo token, int count) throws Exception {
        Enroller enroller = new Enroller(Duration.ofSeconds(10));
        List<AgentCredentials> identities = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("crowd-%02d", i);
            identities.add(enroller.enroll(address, token.secret(), console.enrollment().caFingerprint(), id,
                    HostFacts.newBuilder().setHostname(id).build(), "0.1.0", dir.resolve(id)));
        }
        return identities;
    }

    private double handshakes(String kind) {
        return console.metrics().registry().get("firstline.agent.tls.handshakes").tag("kind", kind).counter().count();
    }

    /**
     * A fleet coming back after a console restart, to a console that
     * handshakes only a few at a time: past the cap each connection waits
     * for its turn instead of being refused, so no agent spends the session
     * ticket in its ClientHello on a refusal, and every one resumes its TLS
     * session (BoringSSL keeps the ticket keys across the restart).
     */
    @Test
    void aFleetBackAfterARestartWaitsItsTurnAndResumesEverySession() throws Exception {
        if (!io.netty.handler.ssl.OpenSsl.isAvailable()) {
            String why = "BoringSSL (netty-tcnative) does not load here, and only it keeps session tickets across a restart";
            if (System.getenv(TestSupport.REQUIRE_TOOLS) != null) {
                org.junit.jupiter.api.Assertions.fail(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        int agents = 24;
        ConsoleConfig c = new ConsoleConfig(dir.resolve("console"), new ConsoleConfig.Listen("127.0.0.1", 0),
                new ConsoleConfig.Listen("127.0.0.1", 0), Duration.ofSeconds(5), 3, WireProtocol.DEFAULT_MAX_FRAME_BYTES,
                // No shutdown spread: the whole fleet is told to come back at one moment, a crowd well past the cap of 2.
                Duration.ofSeconds(10)).withAdmission(2, Duration.ZERO);
        console = Console.start(c);
        int port = console.agentPort();
        ConsoleAddress address = new ConsoleAddress("127.0.0.1", port);
        TokenInfo token = console.enrollment().createToken("lab", Duration.ofHours(1), agents, "test");
        List<AgentCredentials> identities = enroll(address, token, agents);
        loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        for (int i = 0; i < agents; i++) {
            links.add(link(identities.get(i), address, i));
        }
        links.forEach(AgentLink::start);
        await().atMost(Duration.ofSeconds(60)).until(() -> links.stream().allMatch(AgentLink::isConnected));

        console.close(); // tells the agents to come back after as long as its start took, all at once
        console = null;
        console = Console.start(c.withAgentListen(new ConsoleConfig.Listen("127.0.0.1", port)));
        await().atMost(Duration.ofSeconds(60)).until(() -> links.stream().allMatch(AgentLink::isConnected)
                && handshakes("resumed") + handshakes("full") >= agents);
        double waited = console.metrics().registry().get("firstline.connections.waited").counter().count();
        System.out.printf("restart: %d agents back, %.0f resumed, %.0f full, %.0f waited for a slot, %.0f refused%n", agents,
                handshakes("resumed"), handshakes("full"), waited, rejected("overloaded"));
        assertEquals(0, rejected("overloaded"), "none refused: each waited its turn");
        assertEquals(agents, handshakes("resumed"), "every agent resumed its session");
        assertEquals(0, handshakes("full"));
        assertTrue(waited > 0, "the crowd was more than 2 at a time");
        assertEquals(0, rejected("handshake_timeout"));
    }

    @Test
    void aCrowdIsAdmittedAFewAtATimeWithNoHandshakeTimingOut() throws Exception {
        ConsoleConfig c = new ConsoleConfig(dir.resolve("console"), new ConsoleConfig.Listen("127.0.0.1", 0),
                new ConsoleConfig.Listen("127.0.0.1", 0), Duration.ofSeconds(5), 3, WireProtocol.DEFAULT_MAX_FRAME_BYTES,
                Duration.ofSeconds(10)).withAdmission(MAX_HANDSHAKES, Duration.ofSeconds(2)).withAdmissionWait(Duration.ZERO);
        console = Console.start(c);
        ConsoleAddress address = new ConsoleAddress("127.0.0.1", console.agentPort());
        TokenInfo token = console.enrollment().createToken("lab", Duration.ofHours(1), AGENTS, "test");
        List<AgentCredentials> identities = enroll(address, token, AGENTS);
        loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        for (int i = 0; i < AGENTS; i++) {
            links.add(link(identities.get(i), address, i));
        }
        long t0 = System.nanoTime();
        links.forEach(AgentLink::start); // all at once
        await().atMost(Duration.ofSeconds(60)).until(() -> links.stream().allMatch(AgentLink::isConnected));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("admission: %d agents connected in %.1f s, %.0f refused as overloaded, %d handshakes at a time%n",
                AGENTS, seconds, rejected("overloaded"), MAX_HANDSHAKES);
        assertEquals(0, rejected("handshake_timeout"), "no handshake the console started was wasted");
        assertEquals(0, rejected("tls_error"), "a refused agent read the plain refusal, not a TLS failure");
        assertTrue(rejected("overloaded") > 0, "the crowd was more than " + MAX_HANDSHAKES + " at a time");

        // A stopping console tells them; they come back (to nobody) spread out instead of failing at once.
        console.close();
        console = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> links.stream().noneMatch(AgentLink::isConnected));
    }

    /**
     * An agent enrolling while the console handshakes all it may (here one
     * connection that never says anything holds the only slot) reads the
     * plain Refuse(OVERLOADED), says so, waits the time it was given, and
     * gets in once the slot is free, instead of failing as a TLS error.
     */
    @Test
    void enrollmentWaitsForABusyConsoleAndGetsIn() throws Exception {
        ConsoleConfig c = new ConsoleConfig(dir.resolve("console"), new ConsoleConfig.Listen("127.0.0.1", 0),
                new ConsoleConfig.Listen("127.0.0.1", 0), Duration.ofSeconds(5), 3, WireProtocol.DEFAULT_MAX_FRAME_BYTES,
                Duration.ofSeconds(10)).withAdmission(1, Duration.ofSeconds(2)).withAdmissionWait(Duration.ZERO);
        console = Console.start(c);
        ConsoleAddress address = new ConsoleAddress("127.0.0.1", console.agentPort());
        TokenInfo token = console.enrollment().createToken("lab", Duration.ofHours(1), 1, "test");
        Socket silent = new Socket(InetAddress.getLoopbackAddress(), console.agentPort()); // takes the one handshake slot
        await().atMost(Duration.ofSeconds(5)).until(() -> console.metrics().registry().get("firstline.connections.accepted")
                .counter().count() == 1);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        List<String> said = new CopyOnWriteArrayList<>();
        BusyRetry retry = BusyRetry.standard().withProgress(said::add).withSleeper(d -> {
            waits.add(d);
            try {
                silent.close(); // the slot comes free while the agent waits
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Thread.sleep(50); // (in place of most of the wait, which the test does not spend)
        }, new SplittableRandom(1));

        AgentCredentials enrolled = new Enroller(Duration.ofSeconds(10), retry).enroll(address, token.secret(),
                console.enrollment().caFingerprint(), "busy-1", HostFacts.newBuilder().setHostname("busy-1").build(), "0.1.0",
                dir.resolve("busy-1"));

        assertEquals("busy-1", enrolled.agentId());
        assertTrue(rejected("overloaded") >= 1, "the console refused before TLS");
        assertTrue(!waits.isEmpty() && waits.get(0).toMillis() > 0, "waited as asked: " + waits);
        assertTrue(said.get(0).startsWith("console " + address + " busy (OVERLOADED), retrying in "), said.toString());
        assertTrue(said.get(0).endsWith("(attempt 2 of " + BusyRetry.DEFAULT_ATTEMPTS + ")"), said.toString());
    }
}

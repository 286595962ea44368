package io.firstline.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.enroll.AgentCredentials;
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
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real console stops (SIGTERM's drain: {@code Refuse(SHUTTING_DOWN)}, come
 * back after 1 s and as long as its own start took, plus up to
 * {@code agent.shutdownSpread}) under a real agent
 * link. With a second address the agent goes there at once; with only this
 * one it keeps the wait it was asked for. The "other node" and the port
 * watched after the stop are plain loopback listeners that note when the
 * agent first connects.
 */
class ShutdownFailoverTest {
    @TempDir
    Path dir;
    private Console console;
    private AgentLink link;
    private final List<ServerSocket> listeners = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        if (link != null) {
            link.close();
        }
        if (console != null) {
            console.close();
        }
        for (ServerSocket s : listeners) {
            s.close();
        }
    }

    private AgentCredentials startConsole() throws Exception {
        ConsoleConfig c = new ConsoleConfig(dir.resolve("console"), new ConsoleConfig.Listen("127.0.0.1", 0),
                new ConsoleConfig.Listen("127.0.0.1", 0), Duration.ofSeconds(5), 3, WireProtocol.DEFAULT_MAX_FRAME_BYTES,
                Duration.ofSeconds(10)).withAdmission(ConsoleConfig.DEFAULT_MAX_HANDSHAKES, Duration.ofSeconds(10));
        console = Console.start(c);
        TokenInfo token = console.enrollment().createToken("lab", Duration.ofHours(1), 1, "test");
        return new Enroller(Duration.ofSeconds(10)).enroll(address(console.agentPort()), token.secret(),
                console.enrollment().caFingerprint(), "stopping-1", HostFacts.newBuilder().setHostname("stopping-1").build(), "0.1.0",
                dir.resolve("agent"));
    }

    private static ConsoleAddress address(int port) {
        return new ConsoleAddress("127.0.0.1", port);
    }

    /** A loopback listener on {@code port} (0: any) that notes the nanoTime of its first connection. */
    private ServerSocket firstConnection(int port, AtomicLong at) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listeners.add(s);
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    at.compareAndSet(0, System.nanoTime());
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }
        }, "other-node");
        t.setDaemon(true);
        t.start();
        return s;
    }

    private void connect(AgentCredentials c, List<ConsoleAddress> consoles) {
        long epoch = System.currentTimeMillis();
        Hello hello = Hello.newBuilder().setAgentId(c.agentId()).setBootEpoch(epoch).setAgentVersion("test")
                .setProtocolVersion(WireProtocol.VERSION).setMinProtocolVersion(WireProtocol.MIN_VERSION)
                .setHost(HostFacts.newBuilder().setHostname(c.agentId())).build();
        AgentLink.Settings settings = new AgentLink.Settings(consoles, epoch, WireProtocol.DEFAULT_MAX_FRAME_BYTES,
                Duration.ofSeconds(5), AgentLink.Settings.DEFAULT_BACKFILL_PER_SECOND, LinkSecurity.of(c.clientContext()));
        link = new AgentLink(settings, new MemoryOutbox(100, epoch), () -> hello, List::of, (Welcome w) -> { }, new SplittableRandom(3));
        link.start();
        await().atMost(Duration.ofSeconds(20)).until(link::isConnected);
    }

    @Test
    void aStoppingNodeSendsAnAgentWithTwoAddressesToTheOtherAtOnce() throws Exception {
        AgentCredentials c = startConsole();
        AtomicLong otherNode = new AtomicLong();
        ServerSocket other = firstConnection(0, otherNode);
        connect(c, List.of(address(console.agentPort()), address(other.getLocalPort())));

        long stop = System.nanoTime();
        console.close();
        console = null;

        await().atMost(Duration.ofSeconds(10)).until(() -> otherNode.get() != 0);
        long ms = (otherNode.get() - stop) / 1_000_000;
        assertTrue(ms < 1_000, "the other node was first tried " + ms + " ms after the stop; it should come before the stopping node's 1 s"
                + " (and its 10 s spread)");
    }

    @Test
    void anAgentWithOneAddressWaitsAsTheStoppingConsoleAsked() throws Exception {
        AgentCredentials c = startConsole();
        int port = console.agentPort();
        connect(c, List.of(address(port)));

        long asked = 1_000 + console.startedIn().toMillis();
        long stop = System.nanoTime();
        console.close();
        console = null;
        AtomicLong back = new AtomicLong();
        firstConnection(port, back); // the same address, as a restarted console would listen on it

        await().atMost(Duration.ofSeconds(30)).until(() -> back.get() != 0);
        long ms = (back.get() - stop) / 1_000_000;
        assertTrue(ms >= asked, "came back " + ms + " ms after the stop: not before the " + asked
                + " ms the console asked for (1 s and the " + (asked - 1_000) + " ms its own start took)");
    }
}

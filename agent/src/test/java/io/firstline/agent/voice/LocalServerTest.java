package io.firstline.agent.voice;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.proto.LocalRequest;
import io.firstline.proto.LocalResponse;
import io.firstline.proto.LocalStatus;
import io.firstline.proto.LocalStatusQuery;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local socket with real Unix-socket clients: who they are, and what bad clients cannot do. */
class LocalServerTest {
    @TempDir
    Path dir;

    private static final LocalRequest STATUS = LocalRequest.newBuilder().setStatus(LocalStatusQuery.getDefaultInstance()).build();

    /** Answers a status naming the peer the server saw, so tests can check who it thinks is asking. */
    private static LocalResponse whoAsks(Peer peer, LocalRequest r) {
        return LocalResponse.newBuilder().setStatus(LocalStatus.newBuilder().setHostname(peer.user())).build();
    }

    private LocalServer server(Duration readTimeout) {
        return LocalServer.start(LocalServer.Settings.at(dir.resolve("agent.sock")).withReadTimeout(readTimeout), LocalServerTest::whoAsks);
    }

    @Test
    void thePeerIsWhoeverTheKernelSaysConnected() throws Exception {
        try (LocalServer s = server(Duration.ofSeconds(5))) {
            LocalResponse r = LocalClient.ask(s.socket(), STATUS);
            // The request carries no user at all: the name comes from SO_PEERCRED, i.e. this process's user.
            assertEquals(System.getProperty("user.name"), r.getStatus().getHostname());
            await().atMost(Duration.ofSeconds(5)).until(() -> s.served() == 1L); // counted just after the answer is written
        }
    }

    @Test
    void theSocketFileHasTheConfiguredModeAndGoesAwayOnClose() throws Exception {
        Path sock = dir.resolve("agent.sock");
        try (LocalServer s = LocalServer.start(LocalServer.Settings.at(sock).withMode(PosixFilePermissions.fromString("rw-rw----")),
                LocalServerTest::whoAsks)) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
        }
        assertTrue(Files.notExists(sock), "socket removed");
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveAgentIsNot() throws Exception {
        Path sock = dir.resolve("agent.sock");
        LocalServer.start(LocalServer.Settings.at(sock), LocalServerTest::whoAsks).close();
        // A socket file left behind by an agent that was killed: nobody answers on it.
        try (var ch = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
        }
        assertTrue(Files.exists(sock));
        try (LocalServer s = LocalServer.start(LocalServer.Settings.at(sock), LocalServerTest::whoAsks)) {
            assertEquals(System.getProperty("user.name"), LocalClient.ask(sock, STATUS).getStatus().getHostname());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LocalServer.start(LocalServer.Settings.at(sock), LocalServerTest::whoAsks));
            assertTrue(e.getMessage().contains("another agent"), e.getMessage());
        }
    }

    @Test
    void garbageIsDroppedAndTheNextClientIsServed() throws Exception {
        try (LocalServer s = server(Duration.ofSeconds(5))) {
            for (byte[] bad : new byte[][] {
                    {0, 0, 0, 5, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // not protobuf
                    {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // a 2 GiB length
                    {0, 0, 0, 0}, // an empty request: no kind
                    "GET / HTTP/1.1\r\n\r\n".getBytes()}) {
                try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(s.socket()))) {
                    ch.write(ByteBuffer.wrap(bad));
                    assertTrue(closedWithoutAnswer(ch), "closed without an answer");
                }
            }
            assertEquals(System.getProperty("user.name"), LocalClient.ask(s.socket(), STATUS).getStatus().getHostname());
            assertTrue(s.drops().getOrDefault("garbage", 0L) >= 2, s.drops().toString());
            assertEquals(2L, s.drops().get("oversize"), "a 2 GiB length, and HTTP read as a length: " + s.drops());
        }
    }

    @Test
    void aSilentClientIsDroppedAfterTheReadTimeoutWithoutHoldingUpOthers() throws Exception {
        try (LocalServer s = server(Duration.ofMillis(500));
             SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("agent.sock")))) {
            // Half a request, then nothing.
            silent.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 10, 1}));
            long start = System.nanoTime();
            assertEquals(System.getProperty("user.name"), LocalClient.ask(s.socket(), STATUS).getStatus().getHostname());
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(400), "served while the silent one waits");
            assertEquals(-1, silent.read(ByteBuffer.allocate(16)), "the silent client was closed");
            await().atMost(Duration.ofSeconds(5)).until(() -> s.drops().getOrDefault("silent", 0L) == 1L);
        }
    }

    @Test
    void oneUserCannotHoldEveryConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LocalHandler slow = (peer, r) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return whoAsks(peer, r);
        };
        try (LocalServer s = LocalServer.start(LocalServer.Settings.at(dir.resolve("agent.sock")), slow)) {
            // Two requests of this user are being answered (the per-user limit)...
            Thread a = new Thread(() -> ask(s.socket()));
            Thread b = new Thread(() -> ask(s.socket()));
            a.start();
            b.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> activeRequests() >= 2);
            // ...so a third is refused with a sentence, at once.
            LocalResponse third = LocalClient.ask(s.socket(), STATUS);
            assertTrue(third.getError().contains("requests running already"), third.getError());
            release.countDown();
            a.join(5000);
            b.join(5000);
            await().atMost(Duration.ofSeconds(5)).until(() -> s.served() == 2L);
        }
    }

    /** The server closed the connection (an orderly end, or a reset because our unread bytes were still queued). */
    private static boolean closedWithoutAnswer(SocketChannel ch) {
        try {
            return ch.read(ByteBuffer.allocate(16)) == -1;
        } catch (IOException reset) {
            return true;
        }
    }

    private static int activeRequests() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("firstline-local")
                && t.getState() == Thread.State.TIMED_WAITING).count();
    }

    private static void ask(Path socket) {
        try {
            LocalClient.ask(socket, STATUS);
        } catch (LocalClient.Unreachable e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theClientSaysPlainlyWhenNoAgentListens() throws IOException {
        LocalClient.Unreachable e = assertThrows(LocalClient.Unreachable.class, () -> LocalClient.ask(dir.resolve("nothing.sock"), STATUS));
        assertTrue(e.getMessage().contains("no agent is listening"), e.getMessage());
        assertTrue(e.getMessage().contains("--state-dir"), e.getMessage());
    }

    @Test
    void aPathTooLongForTheKernelIsRefusedWithAReason() {
        Path deep = dir.resolve("x".repeat(120)).resolve("agent.sock");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalServer.start(LocalServer.Settings.at(deep), LocalServerTest::whoAsks));
        assertTrue(e.getMessage().contains("107"), e.getMessage());
    }
}

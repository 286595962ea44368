package io.firstline.agent.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.link.ConsoleAddress;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Refuse;
import io.firstline.wire.PlainRefusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollment against a loopback peer that answers every connection as an
 * overloaded console does, before TLS: the plain refusal's bytes
 * ({@link PlainRefusal#encode}), then a half-close, then it reads what the
 * agent sent until the agent closes. The waits go to a fake sleeper. (The
 * console module's {@code AdmissionTest} enrolls through a real console's
 * refusal.)
 */
class EnrollerBusyTest {
    private static final String PIN = "00".repeat(32);

    @TempDir
    Path dir;

    private final List<ServerSocket> servers = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Duration> slept = new CopyOnWriteArrayList<>();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    /** Answers each connection with {@code frame} (its first byte decides: 0 is a plain refusal) and a half-close. */
    private ConsoleAddress peer(byte[] frame) throws IOException {
        return peer(frame, connections);
    }

    private ConsoleAddress peer(byte[] frame, AtomicInteger connections) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                    OutputStream out = s.getOutputStream();
                    out.write(frame);
                    out.flush();
                    s.shutdownOutput();
                    s.getInputStream().readAllBytes(); // the ClientHello, until the agent closes
                } catch (IOException e) {
                    // closed by the test, or the agent reset: next one
                }
            }
        }, "refusing-peer");
        t.setDaemon(true);
        t.start();
        return new ConsoleAddress("127.0.0.1", server.getLocalPort());
    }

    private static byte[] refusal(Refuse r) {
        ByteBuf b = PlainRefusal.encode(ByteBufAllocator.DEFAULT, r);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static Refuse overloaded(int afterMs, int spreadMs) {
        return Refuse.newBuilder().setReason(Refuse.Reason.OVERLOADED).setMessage("too many agents are connecting at once")
                .setRetryAfterMs(afterMs).setRetrySpreadMs(spreadMs).build();
    }

    private Enroller enroller(int attempts, Duration maxWait) {
        return new Enroller(Duration.ofSeconds(5), new BusyRetry(attempts, maxWait, progress::add, slept::add, new SplittableRandom(7)));
    }

    private Enroller.EnrollmentException enrollFails(Enroller e, ConsoleAddress address) {
        return assertThrows(Enroller.EnrollmentException.class, () -> e.enroll(address, "flt1_token", PIN, "agent-1",
                HostFacts.newBuilder().setHostname("agent-1").build(), "0.1.0", dir.resolve("agent")));
    }

    @Test
    void anOverloadedConsoleIsWaitedForAsItAsksUpToTheAttemptsAndThenNamed() throws IOException {
        ConsoleAddress address = peer(refusal(overloaded(2_000, 1_000)));

        Enroller.EnrollmentException e = enrollFails(enroller(4, Duration.ofMinutes(5)), address);

        assertEquals(4, connections.get(), "every attempt reached the console");
        assertEquals(3, slept.size(), "a wait between attempts, none after the last");
        for (Duration d : slept) {
            assertTrue(d.toMillis() >= 2_000 && d.toMillis() <= 3_000, "retry_after_ms plus a part of retry_spread_ms: " + d);
        }
        assertEquals(3, progress.size(), progress.toString());
        assertTrue(progress.get(0).matches("console 127\\.0\\.0\\.1:\\d+ busy \\(OVERLOADED\\), retrying in 2\\.\\d s \\(attempt 2 of 4\\)"),
                progress.get(0));
        assertTrue(progress.get(2).endsWith("(attempt 4 of 4)"), progress.get(2));
        assertTrue(e.getMessage().contains("still busy (OVERLOADED) after 4 attempts"), e.getMessage());
        assertFalse(e.getMessage().contains("TLS"), "not taken for a TLS failure: " + e.getMessage());
    }

    @Test
    void theWaitingIsBoundedInTimeToo() throws IOException {
        ConsoleAddress address = peer(refusal(overloaded(60_000, 0)));

        Enroller.EnrollmentException e = enrollFails(enroller(10, Duration.ofSeconds(90)), address);

        assertEquals(List.of(Duration.ofSeconds(60)), slept, "a second minute would pass the 90 s allowed");
        assertEquals(2, connections.get());
        assertTrue(e.getMessage().contains("after 2 attempts and 60.0 s of waiting"), e.getMessage());
    }

    @Test
    void aRefusalWithoutATimeToComeBackIsAnErrorNamingItsReason() throws IOException {
        ConsoleAddress address = peer(refusal(Refuse.newBuilder().setReason(Refuse.Reason.SHUTTING_DOWN).setMessage("stopping").build()));

        Enroller.EnrollmentException e = enrollFails(enroller(5, Duration.ofMinutes(5)), address);

        assertEquals(1, connections.get(), "not tried again");
        assertTrue(slept.isEmpty());
        assertTrue(e.getMessage().contains("refused the connection before TLS (SHUTTING_DOWN): stopping"), e.getMessage());
    }

    @Test
    void aPlainFrameThatIsNotARefusalIsNamedAsSuch() throws IOException {
        ConsoleAddress address = peer(new byte[] {0, 0, 0x10, 0, 1, 2, 3});

        Enroller.EnrollmentException e = enrollFails(enroller(5, Duration.ofMinutes(5)), address);

        assertEquals(1, connections.get());
        assertTrue(e.getMessage().contains("neither TLS nor a console's refusal"), e.getMessage());
        assertTrue(e.getMessage().contains("a refusal is at most 1024"), e.getMessage());
    }

    @Test
    void aPeerThatIsNotAConsoleStillFailsAsTls() throws IOException {
        ConsoleAddress address = peer("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        Enroller.EnrollmentException e = enrollFails(enroller(5, Duration.ofMinutes(5)), address);

        assertEquals(1, connections.get());
        assertTrue(e.getMessage().contains("TLS handshake with " + address + " failed")
                || e.getMessage().contains("cannot enroll with " + address), e.getMessage());
    }

    private Enroller.EnrollmentException enrollFails(Enroller e, List<ConsoleAddress> addresses) {
        return assertThrows(Enroller.EnrollmentException.class, () -> e.enroll(addresses, "flt1_token", PIN, "agent-1",
                HostFacts.newBuilder().setHostname("agent-1").build(), "0.1.0", dir.resolve("agent")));
    }

    @Test
    void withSeveralAddressesABusyConsoleIsLeftForTheNextAtOnceAndComeBackToWhenDue() throws IOException {
        AtomicInteger atA = new AtomicInteger();
        AtomicInteger atB = new AtomicInteger();
        ConsoleAddress a = peer(refusal(overloaded(2_000, 0)), atA);
        ConsoleAddress b = peer(refusal(overloaded(5_000, 0)), atB);

        Enroller.EnrollmentException e = enrollFails(enroller(4, Duration.ofMinutes(5)), List.of(a, b));

        // A busy: B at once. B busy: A when its 2 s are up. A busy again: A's next 2 s end before B's 5 s.
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(2)), slept);
        assertEquals(3, atA.get());
        assertEquals(1, atB.get());
        assertEquals("console " + a + " busy (OVERLOADED), trying " + b + " (attempt 2 of 4)", progress.get(0));
        assertEquals("console " + b + " busy (OVERLOADED), trying " + a + " in 2.0 s (attempt 3 of 4)", progress.get(1));
        assertEquals("console " + a + " busy (OVERLOADED), retrying in 2.0 s (attempt 4 of 4)", progress.get(2));
        assertTrue(e.getMessage().contains("still busy (OVERLOADED) after 4 attempts and 4.0 s of waiting"), e.getMessage());
    }

    @Test
    void anUnreachableAddressIsLeftForTheNextAndWhenAllAreTheLastErrorIsTold() throws IOException {
        ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ConsoleAddress gone = new ConsoleAddress("127.0.0.1", closed.getLocalPort());
        closed.close();
        ConsoleAddress busy = peer(refusal(overloaded(1_000, 0)));

        Enroller.EnrollmentException e = enrollFails(enroller(3, Duration.ofMinutes(5)), List.of(gone, busy));

        assertTrue(progress.get(0).startsWith("cannot enroll with " + gone + ": "), progress.get(0));
        assertTrue(progress.get(0).endsWith(", trying " + busy + " (attempt 2 of 3)"), progress.get(0));
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(1)), slept, "the unreachable one is not tried again");
        assertEquals(2, connections.get());
        assertTrue(e.getMessage().contains("still busy (OVERLOADED) after 3 attempts"), e.getMessage());

        slept.clear();
        progress.clear();
        Enroller.EnrollmentException both = enrollFails(enroller(3, Duration.ofMinutes(5)), List.of(gone, gone));
        assertTrue(both.getMessage().startsWith("cannot enroll with " + gone), both.getMessage());
        assertEquals(1, progress.size(), "one move on, then none is left: " + progress);
    }
}

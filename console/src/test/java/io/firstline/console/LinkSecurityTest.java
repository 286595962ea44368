package io.firstline.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.enroll.Enroller;
import io.firstline.agent.enroll.KeyAndRequest;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.AuditEntry;
import io.firstline.console.enroll.TokenInfo;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.proto.Envelope;
import io.firstline.proto.Heartbeat;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Refuse;
import io.firstline.wire.WireProtocol;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollment and mutual TLS over real loopback sockets, and each kind of
 * unwelcome connection: each is closed with its reason counted while a
 * well-behaved agent stays connected.
 */
class LinkSecurityTest {
    @TempDir
    Path dir;
    private Console console;
    private ConsoleAddress address;
    private String base;
    private final Enroller enroller = new Enroller(Duration.ofSeconds(10));

    @BeforeEach
    void start() {
        ConsoleConfig c = new ConsoleConfig(dir.resolve("console"), new ConsoleConfig.Listen("127.0.0.1", 0),
                new ConsoleConfig.Listen("127.0.0.1", 0), Duration.ofSeconds(1), 2, WireProtocol.DEFAULT_MAX_FRAME_BYTES,
                Duration.ofSeconds(1));
        console = Console.start(c);
        address = new ConsoleAddress("127.0.0.1", console.agentPort());
        base = "http://127.0.0.1:" + console.httpPort();
    }

    @AfterEach
    void stop() {
        console.close();
    }

    private double rejected(String reason) {
        return console.metrics().registry().get("firstline.connections.rejected").tag("reason", reason).counter().count();
    }

    private AgentCredentials enroll(String agentId) throws Enroller.EnrollmentException {
        TokenInfo t = console.enrollment().createToken("lab", Duration.ofHours(1), 1, "test");
        return enroller.enroll(address, t.secret(), console.enrollment().caFingerprint(), agentId,
                HostFacts.newBuilder().setHostname("h-" + agentId).build(), "0.1.0", dir.resolve(agentId));
    }

    private AgentRuntime run(String agentId) {
        return AgentRuntime.start(new AgentRuntime.Settings(List.of(address), dir.resolve(agentId), Duration.ofSeconds(1),
                CollectorRegistry.builtIn().select(Set.of("cpu"), Set.of("memory", "filesystem", "network"))));
    }

    private static Envelope hello(String agentId) {
        return Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId(agentId).setBootEpoch(1)
                .setProtocolVersion(WireProtocol.VERSION).setMinProtocolVersion(WireProtocol.MIN_VERSION)
                .setHost(HostFacts.newBuilder().setHostname("probe"))).build();
    }

    @Test
    void enrollsOverTlsKeepsFilesPrivateStreamsAndAudits() throws Exception {
        AgentCredentials c = enroll("agent-a");
        assertEquals("agent-a", c.agentId());
        for (String f : List.of(AgentCredentials.KEY_FILE, AgentCredentials.CERT_FILE, AgentCredentials.CA_FILE)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("agent-a").resolve(f))), f);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("console/pki/ca.key"))));
        try (AgentRuntime agent = run("agent-a")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.isConnected() && console.fleet().get("agent-a")
                    .map(a -> a.connected() && a.value("cpu.usage_ratio").isPresent()).orElse(false));
            assertEquals("enrolled", TestSupport.get(base + "/api/agents", TestSupport.adminToken(console)).json().get(0).path("enrollment").asText());
        }
        List<String> actions = console.enrollment().audit(10).stream().map(AuditEntry::action).toList();
        assertTrue(actions.containsAll(List.of(AuditEntry.TOKEN_CREATED, AuditEntry.TOKEN_USED, AuditEntry.AGENT_ENROLLED)), actions.toString());
    }

    @Test
    void agentRefusesAConsoleWhoseCaDoesNotMatchThePin() {
        TokenInfo t = console.enrollment().createToken("lab", Duration.ofHours(1), 1, "test");
        Enroller.EnrollmentException e = assertThrows(Enroller.EnrollmentException.class, () -> enroller.enroll(address, t.secret(),
                "sha256:" + "00".repeat(32), "agent-b", HostFacts.getDefaultInstance(), "0.1.0", dir.resolve("agent-b")));
        assertTrue(e.getMessage().contains("pinned fingerprint"), e.getMessage());
        assertEquals(0, console.enrollment().tokens().get(0).uses(), "the token never reached the impostor");
        assertFalse(Files.exists(dir.resolve("agent-b").resolve(AgentCredentials.CERT_FILE)));
    }

    @Test
    void badExpiredAndUsedUpTokensAreRefusedAndCounted() throws Exception {
        String pin = console.enrollment().caFingerprint();
        HostFacts h = HostFacts.getDefaultInstance();
        assertThrows(Enroller.EnrollmentException.class, () -> enroller.enroll(address, "flt1_nonsense", pin, "x1", h, "0", dir.resolve("x1")));
        TokenInfo once = console.enrollment().createToken("lab", Duration.ofHours(1), 1, "test");
        enroller.enroll(address, once.secret(), pin, "x2", h, "0", dir.resolve("x2"));
        Enroller.EnrollmentException used = assertThrows(Enroller.EnrollmentException.class,
                () -> enroller.enroll(address, once.secret(), pin, "x3", h, "0", dir.resolve("x3")));
        assertTrue(used.getMessage().contains("used up"), used.getMessage());
        TokenInfo revoked = console.enrollment().createToken("lab", Duration.ofHours(1), 5, "test");
        assertTrue(console.enrollment().revokeToken(revoked.id(), "test"));
        assertThrows(Enroller.EnrollmentException.class, () -> enroller.enroll(address, revoked.secret(), pin, "x4", h, "0", dir.resolve("x4")));
        Enroller.EnrollmentException taken = assertThrows(Enroller.EnrollmentException.class, () -> enroll("x2"));
        assertTrue(taken.getMessage().contains("already enrolled"), taken.getMessage());
        await().atMost(Duration.ofSeconds(5)).until(() -> rejected("enrollment_refused") == 4.0);
    }

    @Test
    void revokedAgentIsCutOffAndRefusedAtTheHandshake() throws Exception {
        enroll("agent-r");
        try (AgentRuntime agent = run("agent-r")) {
            await().atMost(Duration.ofSeconds(20)).until(agent::isConnected);
            TestSupport.Response r = TestSupport.post(base + "/api/agents/agent-r/revoke", TestSupport.adminToken(console), "");
            assertEquals(200, r.status(), r.body());
            await().atMost(Duration.ofSeconds(10)).until(() -> rejected("revoked_certificate") >= 1.0);
            assertFalse(agent.isConnected());
            assertEquals("revoked", TestSupport.get(base + "/api/agents/agent-r", TestSupport.adminToken(console)).json().path("enrollment").asText());
            assertEquals("revoked", TestSupport.get(base + "/api/agents", TestSupport.adminToken(console)).json().get(0).path("enrollment").asText());
        }
        AgentCredentials c = AgentCredentials.load(dir.resolve("agent-r")).orElseThrow();
        assertThrows(Enroller.EnrollmentException.class, () -> enroller.renew(address, c, dir.resolve("agent-r")));
    }

    @Test
    void renewalGivesANewCertificateForTheSameId() throws Exception {
        AgentCredentials first = enroll("agent-n");
        AgentCredentials renewed = enroller.renew(address, first, dir.resolve("agent-n"));
        assertEquals("agent-n", renewed.agentId());
        assertNotEquals(first.certificate().getSerialNumber(), renewed.certificate().getSerialNumber());
        assertEquals(renewed.certificate(), AgentCredentials.load(dir.resolve("agent-n")).orElseThrow().certificate());
        assertTrue(console.enrollment().audit(5).stream().anyMatch(a -> a.action().equals(AuditEntry.AGENT_RENEWED)));
    }

    @Test
    void helloWithoutCertificateOrWithAnotherIdIsRefused() throws Exception {
        X509Certificate ca = AgentCredentials.load(enrollDir("agent-m")).orElseThrow().ca();
        try (LinkClient anon = LinkClient.connect(console.agentPort(), ca, null, null)) {
            anon.send(hello("agent-m"));
            assertEquals(Refuse.Reason.NOT_ENROLLED, anon.readUntilClosed().getRefuse().getReason());
        }
        AgentCredentials m = AgentCredentials.load(dir.resolve("agent-m")).orElseThrow();
        try (LinkClient liar = LinkClient.connect(console.agentPort(), ca, m.key(), m.certificate())) {
            liar.send(hello("someone-else"));
            assertEquals(Refuse.Reason.IDENTITY_MISMATCH, liar.readUntilClosed().getRefuse().getReason());
        }
        assertEquals(1.0, rejected("no_client_certificate"));
        assertEquals(1.0, rejected("identity_mismatch"));
    }

    private Path enrollDir(String id) throws Exception {
        enroll(id);
        return dir.resolve(id);
    }

    @Test
    void certificatesFromAnotherCaOrExpiredAreRefusedWhileAGoodAgentCarriesOn() throws Exception {
        enroll("good");
        X509Certificate ca = AgentCredentials.load(dir.resolve("good")).orElseThrow().ca();
        try (AgentRuntime agent = run("good")) {
            await().atMost(Duration.ofSeconds(20)).until(agent::isConnected);

            KeyPair kp = KeyAndRequest.create("good").keyPair();
            X509Certificate foreign = ConsoleCa.loadOrCreate(dir.resolve("other"), "other", Clock.systemUTC()).issueAgent("good", kp.getPublic());
            assertNull(attempt(ca, kp, foreign), "a certificate from another CA gets no answer");
            await().atMost(Duration.ofSeconds(5)).until(() -> rejected("untrusted_certificate") == 1.0);

            Clock past = Clock.offset(Clock.systemUTC(), Duration.ofDays(-800));
            X509Certificate expired = ConsoleCa.loadOrCreate(dir.resolve("console"), Console.consoleId(dir.resolve("console")), past)
                    .issueAgent("good", kp.getPublic());
            assertNull(attempt(ca, kp, expired));
            await().atMost(Duration.ofSeconds(5)).until(() -> rejected("expired_certificate") == 1.0);

            try (Socket plain = new Socket("127.0.0.1", console.agentPort())) {
                OutputStream o = plain.getOutputStream();
                o.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(20).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                o.flush();
                plain.setSoTimeout(5_000);
                while (plain.getInputStream().read() != -1) {
                    // a TLS alert, perhaps, then the close
                }
            } catch (java.net.SocketException reset) {
                // closed with a reset: just as good
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> rejected("tls_error") == 1.0);

            try (Socket silent = new Socket("127.0.0.1", console.agentPort())) {
                silent.setSoTimeout(10_000);
                assertEquals(-1, silent.getInputStream().read(), "closed after the handshake timeout");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> rejected("handshake_timeout") == 1.0);
            assertTrue(agent.isConnected(), "the good agent was not disturbed");
        }
    }

    private Envelope attempt(X509Certificate ca, KeyPair kp, X509Certificate cert) {
        try (LinkClient c = LinkClient.connect(console.agentPort(), ca, kp.getPrivate(), cert)) {
            c.send(hello("good"));
            return c.read();
        } catch (Exception refused) {
            return null;
        }
    }

    @Test
    void floodsAndSlowSendersLoseOnlyTheirOwnConnection() throws Exception {
        AgentCredentials f = AgentCredentials.load(enrollDir("flooder")).orElseThrow();
        try (LinkClient flood = LinkClient.connect(console.agentPort(), f.ca(), f.key(), f.certificate())) {
            flood.send(hello("flooder"));
            assertTrue(flood.read().hasWelcome());
            byte[] hb = Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setAgentTimeMs(1)).build().toByteArray();
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            java.io.DataOutputStream d = new java.io.DataOutputStream(burst);
            for (int i = 0; i < 5_000; i++) {
                d.writeInt(hb.length);
                d.write(hb);
            }
            try {
                flood.sendRaw(burst.toByteArray());
            } catch (IOException closedMidway) {
                // the console may close before we finish writing
            }
            flood.readUntilClosed();
        }
        assertEquals(1.0, rejected("rate_limited"));

        AgentCredentials s = AgentCredentials.load(enrollDir("slow")).orElseThrow();
        try (LinkClient slow = LinkClient.connect(console.agentPort(), s.ca(), s.key(), s.certificate())) {
            slow.send(hello("slow"));
            assertTrue(slow.read().hasWelcome());
            long start = System.nanoTime();
            // A frame announced as 100 bytes, trickled one byte every 300 ms: it never completes.
            slow.sendRaw(new byte[] {0, 0, 0, 100});
            boolean closed = false;
            for (int i = 0; i < 40 && !closed; i++) {
                try {
                    slow.sendRaw(new byte[] {8});
                    Thread.sleep(300);
                } catch (IOException e) {
                    closed = true;
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> rejected("idle_timeout") == 1.0);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
        }
    }
}

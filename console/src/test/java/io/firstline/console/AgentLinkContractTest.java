package io.firstline.console;

import io.firstline.wire.KeyValues;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.enroll.Enroller;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.TokenInfo;
import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketService;
import io.firstline.proto.Envelope;
import io.firstline.proto.FaultRaised;
import io.firstline.proto.FaultRef;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Refuse;
import io.firstline.proto.Sample;
import io.firstline.wire.WireProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent link as an independent client sees it, over real TLS sockets
 * against a real console with the default rule pack: which fault events an
 * agent may send, what a second connection of the same agent does, and
 * which certificates stay valid after a renewal.
 */
class AgentLinkContractTest {
    @TempDir
    Path dir;
    private Console console;
    private ConsoleAddress address;
    private final Enroller enroller = new Enroller(Duration.ofSeconds(10));

    @BeforeEach
    void start() {
        console = Console.start(new ConsoleConfig(dir.resolve("console"), new ConsoleConfig.Listen("127.0.0.1", 0),
                new ConsoleConfig.Listen("127.0.0.1", 0), Duration.ofSeconds(1), 2, WireProtocol.DEFAULT_MAX_FRAME_BYTES,
                Duration.ofSeconds(1)));
        address = new ConsoleAddress("127.0.0.1", console.agentPort());
    }

    @AfterEach
    void stop() {
        console.close();
    }

    private double counter(String name, String reason) {
        return console.metrics().registry().get(name).tag("reason", reason).counter().count();
    }

    private AgentCredentials enroll(String agentId) throws Enroller.EnrollmentException {
        TokenInfo t = console.enrollment().createToken("lab", Duration.ofHours(1), 1, "test");
        return enroller.enroll(address, t.secret(), console.enrollment().caFingerprint(), agentId,
                HostFacts.newBuilder().setHostname("h-" + agentId).build(), "0.1.0", dir.resolve(agentId));
    }

    private static Envelope hello(String agentId) {
        return Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId(agentId).setBootEpoch(1_700_000_000_000L)
                .setProtocolVersion(WireProtocol.VERSION).setMinProtocolVersion(WireProtocol.MIN_VERSION)
                .setHost(HostFacts.newBuilder().setHostname("probe").setOsFamily("Debian GNU/Linux"))).build();
    }

    /** Connects with {@code c}'s certificate, says Hello and reads the Welcome and the rule set; null if refused. */
    private LinkClient open(AgentCredentials c) {
        try {
            return open(c, LinkClient.context(c.ca(), c.key(), c.certificate()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private LinkClient open(AgentCredentials c, javax.net.ssl.SSLContext tls) {
        try {
            LinkClient link = LinkClient.connect(console.agentPort(), tls);
            link.send(hello(c.agentId()));
            Envelope welcome = link.read();
            if (welcome == null || !welcome.hasWelcome()) {
                link.close();
                return null;
            }
            assertTrue(link.read().hasRuleSet(), "the rule set follows the Welcome");
            return link;
        } catch (Exception refused) {
            return null;
        }
    }

    private static Envelope raise(long seq, String rule, String resource, String metric, double value) {
        return Envelope.newBuilder().setSequence(seq).setFaultRaised(FaultRaised.newBuilder()
                .setFault(FaultRef.newBuilder().setRuleId(rule).setResource(resource)).setMetric(metric).setValue(value)
                .setThreshold(0.9).setSinceMs(1_700_000_000_000L).setRaisedMs(1_700_000_060_000L)).build();
    }

    private List<Ticket> tickets() {
        return console.tickets().list(new TicketService.Query("all", "", "", "", "", "", 100));
    }

    @Test
    void anAgentRaisesOnlyAgentSideRulesOfItsRuleSetAndEverythingElseIsAckedCountedAndIgnored() throws Exception {
        AgentCredentials c = enroll("agent-f");
        try (LinkClient link = open(c)) {
            List<Envelope> refused = List.of(
                    raise(1, "no_such_rule", "/", "fs.used_ratio", 0.95),
                    raise(2, "agent_offline", "", "agent.silent_intervals", 5),
                    raise(3, "disk_almost_full", "<script>alert(1)</script>", "fs.used_ratio", 0.95),
                    raise(4, "disk_almost_full", "/", "cpu.usage_ratio", 0.95),
                    raise(5, "disk_almost_full", "/" + "x".repeat(300), "fs.used_ratio", 0.95),
                    raise(6, "disk_almost_full", "/", "fs.used_ratio", Double.NaN),
                    raise(7, "cpu_saturated", "", "cpu.usage_ratio", 0.99).toBuilder()
                            .setFaultRaised(raise(7, "cpu_saturated", "", "cpu.usage_ratio", 0.99).getFaultRaised().toBuilder()
                                    .setRaisedMs(-5)).build(),
                    raise(8, "cpu_saturated", "", "cpu.usage_ratio", 0.99).toBuilder()
                            .setFaultRaised(raise(8, "cpu_saturated", "", "cpu.usage_ratio", 0.99).getFaultRaised().toBuilder()
                                    .addAllDetails(KeyValues.of(java.util.stream.IntStream.range(0, 100).boxed()
                                            .collect(java.util.stream.Collectors.toMap(i -> "k" + i, i -> "v"))))).build());
            for (Envelope e : refused) {
                link.send(e);
                assertEquals(e.getSequence(), link.read().getAck().getSequence(), "acknowledged, so the agent does not resend it");
            }
            assertEquals(List.of(), tickets(), "none of them opened a ticket");
            assertEquals(1.0, counter("firstline.ingest.refused", "unknown_rule"));
            assertEquals(1.0, counter("firstline.ingest.refused", "console_rule"));
            assertEquals(5.0, counter("firstline.ingest.refused", "invalid_field"));
            assertEquals(1.0, counter("firstline.ingest.refused", "not_the_rules_series"));
            assertEquals(0.0, console.metrics().registry().get("firstline.ingest.faults").counter().count());

            link.send(raise(9, "disk_almost_full", "/", "fs.used_ratio", 0.95));
            assertEquals(9, link.read().getAck().getSequence(), "the connection stayed open");
            List<Ticket> open = tickets();
            assertEquals(1, open.size());
            assertEquals("disk_almost_full", open.get(0).ruleId());
            assertEquals(9, console.fleet().committedThrough("agent-f"), "refused events are settled like any other");
        }
    }

    @Test
    void aSecondConnectionOfTheSameAgentSupersedesTheFirstAndSaysWhy() throws Exception {
        AgentCredentials c = enroll("agent-twin");
        try (LinkClient first = open(c); LinkClient second = open(c)) {
            Envelope last = first.readUntilClosed();
            assertEquals(Refuse.Reason.SUPERSEDED, last.getRefuse().getReason());
            assertTrue(last.getRefuse().getMessage().contains("connected again"), last.getRefuse().getMessage());
            await().atMost(Duration.ofSeconds(5)).until(() -> counter("firstline.connections.rejected", "superseded") == 1.0);
            second.send(Envelope.newBuilder().setSequence(1).setSample(Sample.newBuilder().setTimestampMs(1)).build());
            assertEquals(1, second.read().getAck().getSequence(), "the newer connection carries on");
            assertTrue(console.fleet().get("agent-twin").orElseThrow().connected());
        }
    }

    @Test
    void afterARenewalTheOldCertificateWorksOnlyUntilTheNewOneIsUsed() throws Exception {
        AgentCredentials old = enroll("agent-n");
        AgentCredentials renewed = enroller.renew(address, old, dir.resolve("agent-n"));
        try (LinkClient overlap = open(old)) {
            assertTrue(overlap != null, "the old certificate still works until the new one is used");
        }
        try (LinkClient fresh = open(renewed)) {
            assertTrue(fresh != null);
        }
        assertNull(open(old), "once the new certificate was used, the old one is refused");
        await().atMost(Duration.ofSeconds(5)).until(() -> counter("firstline.connections.rejected", "revoked_certificate") == 1.0);
        try (LinkClient again = open(renewed)) {
            assertTrue(again != null, "the new one carries on");
        }
    }

    @Test
    void aResumedTlsSessionDoesNotOutliveTheCertificateItWasMadeWith() throws Exception {
        AgentCredentials old = enroll("agent-s");
        javax.net.ssl.SSLContext oldTls = LinkClient.context(old.ca(), old.key(), old.certificate());
        try (LinkClient first = open(old, oldTls)) {
            assertTrue(first != null);
        }
        AgentCredentials renewed = enroller.renew(address, old, dir.resolve("agent-s"));
        try (LinkClient fresh = open(renewed)) {
            assertTrue(fresh != null, "the new certificate ends the overlap");
        }
        try (LinkClient resumed = LinkClient.connect(console.agentPort(), oldTls)) {
            resumed.send(hello("agent-s"));
            assertEquals(Refuse.Reason.CERTIFICATE_REFUSED, resumed.readUntilClosed().getRefuse().getReason(),
                    "a resumed TLS session of the old certificate is refused at Hello");
        }
        javax.net.ssl.SSLContext newTls = LinkClient.context(renewed.ca(), renewed.key(), renewed.certificate());
        try (LinkClient beforeRevocation = open(renewed, newTls)) {
            assertTrue(beforeRevocation != null);
        }
        console.enrollment().revokeAgent("agent-s", "test");
        try (LinkClient resumed = LinkClient.connect(console.agentPort(), newTls)) {
            resumed.send(hello("agent-s"));
            assertEquals(Refuse.Reason.CERTIFICATE_REFUSED, resumed.readUntilClosed().getRefuse().getReason(),
                    "nor is a revoked agent's");
        }
        Enroller.EnrollmentException renewal = org.junit.jupiter.api.Assertions.assertThrows(Enroller.EnrollmentException.class,
                () -> enroller.renew(address, old, dir.resolve("agent-s-again")));
        assertTrue(renewal.getMessage().length() > 0);
    }
}

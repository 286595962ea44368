package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.notify.NotificationOutbox;
import io.firstline.console.rules.RulesService;
import io.firstline.console.store.SqliteStore;
import io.firstline.console.tickets.AgentDirectory;
import io.firstline.console.tickets.FaultIntake;
import io.firstline.console.tickets.TicketMetrics;
import io.firstline.console.tickets.TicketPolicy;
import io.firstline.console.tickets.TicketService;
import io.firstline.proto.Ack;
import io.firstline.proto.EnrollRequest;
import io.firstline.proto.Envelope;
import io.firstline.proto.FaultCleared;
import io.firstline.proto.FaultRaised;
import io.firstline.proto.FaultRef;
import io.firstline.proto.Heartbeat;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Inventory;
import io.firstline.proto.RenewRequest;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.SeriesDictionary;
import io.firstline.proto.Welcome;
import io.firstline.wire.Framing;
import io.firstline.wire.WireProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes a whole console session: any bytes an agent could send, from the
 * Hello on, through the real pipeline (framing, flood guard, idle watch,
 * session) into the real fault intake, tickets and SQLite store. Seeds are
 * well-formed sessions (Hello, samples, inventory, faults, out-of-place acks,
 * welcomes and enrollments), written by {@link #writeSeeds}. Whatever
 * arrives, the session carries on or closes with a classified reason; it
 * never fails with an internal error.
 */
class SessionFuzzTest {
    @TempDir
    static Path dir;
    static SqliteStore store;
    static RulesService rules;
    static FaultIntake intake;

    @BeforeAll
    static void start() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        store = SqliteStore.open(dir);
        rules = RulesService.open(dir, Clock.systemUTC(), registry);
        AgentDirectory directory = id -> new AgentDirectory.AgentFacts("fuzz", "", "Linux", java.util.Set.of());
        TicketService tickets = new TicketService(store, Clock.systemUTC(), TicketPolicy.defaults(), directory,
                id -> rules.current().rule(id), new NotificationOutbox(List.of()), new TicketMetrics(registry));
        intake = new FaultIntake(tickets, rules, directory, registry);
    }

    @AfterAll
    static void stop() {
        intake.close();
        store.close();
    }

    @FuzzTest
    void anyBytesFromAnAgentEndCleanly(byte[] wire) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConsoleConfig config = ConsoleConfig.defaults(dir);
        List<Handed> commits = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(AgentServerInitializer.plaintextForTests(config,
                new FleetState(Clock.systemUTC(), config.offlineAfter()), new IngestMetrics(registry), "fuzz",
                IngestPorts.NONE.withFaults(new Committing(intake, commits))));
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(wire));
        } catch (RuntimeException classifiedByTheSession) {
            // EmbeddedChannel rethrows what the pipeline already handled; the counters below tell how.
        }
        // Each commit is handed to the session on this thread, once the intake's is done: an EmbeddedChannel's loop
        // takes any thread for its own, so a session finishing on the intake's thread would race this one.
        for (Handed commit : commits) {
            try {
                commit.session().complete(commit.intake().get(10, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                commit.session().completeExceptionally(e.getCause());
            }
        }
        ch.runPendingTasks();
        ch.finishAndReleaseAll();
        assertEquals(0.0, registry.get("firstline.connections.rejected").tag("reason", "internal").counter().count(),
                "a session closed for an internal error");
    }

    /** One commit: the intake's, and the one the session waits on, which the test completes from it. */
    private record Handed(CompletableFuture<Commit> intake, CompletableFuture<Commit> session) {
    }

    /**
     * The real intake, remembering each commit so that the test completes the session's on its own thread once the
     * intake's is done.
     */
    private record Committing(FaultIntake intake, List<Handed> commits) implements FaultPort {
        @Override
        public Optional<Envelope> ruleSet(Hello hello) {
            return intake.ruleSet(hello);
        }

        @Override
        public CompletableFuture<Commit> apply(String agentId, long bootEpoch, long sequence, Envelope event) {
            Handed h = new Handed(intake.apply(agentId, bootEpoch, sequence, event), new CompletableFuture<>());
            commits.add(h);
            return h.session();
        }

        @Override
        public void connected(String agentId, Hello hello, Channel channel) {
            intake.connected(agentId, hello, channel);
        }

        @Override
        public void disconnected(String agentId, Channel channel) {
            intake.disconnected(agentId, channel);
        }
    }

    /**
     * Rewrites the seed corpus from the sessions below:
     * {@code ./mvnw -pl console -am test -Dtest=SessionFuzzTest -Dfirstline.writeSeeds=true -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    @EnabledIfSystemProperty(named = "firstline.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Envelope hello = Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("fuzz").setBootEpoch(42)
                .setProtocolVersion(1).setMinProtocolVersion(1).setAgentVersion("0.1.0")
                .setHost(HostFacts.newBuilder().setHostname("f").setOsFamily("Linux"))).build();
        Envelope dictionary = Envelope.newBuilder().setSeriesDictionary(SeriesDictionary.newBuilder().setBootEpoch(42)
                .addSeries(SeriesDef.newBuilder().setId(1).setMetric("fs.used_ratio").setResource("/"))).build();
        Envelope sample = Envelope.newBuilder().setSequence(1).setBootEpoch(42).setSample(Sample.newBuilder()
                .setTimestampMs(1_700_000_000_000L).addNewSeries(SeriesDef.newBuilder().setId(2).setMetric("cpu.usage_ratio"))
                .addSeries(1).addValues(0.97).addSeries(2).addValues(0.5)).build();
        Envelope inventory = Envelope.newBuilder().setSequence(2).setBootEpoch(42).setInventory(Inventory.newBuilder().setDigest("d")).build();
        FaultRef disk = FaultRef.newBuilder().setRuleId("disk_almost_full").setResource("/").build();
        Envelope raised = Envelope.newBuilder().setSequence(3).setBootEpoch(42).setFaultRaised(FaultRaised.newBuilder()
                .setFault(disk).setMetric("fs.used_ratio").setValue(0.97).setThreshold(0.9)
                .setSinceMs(1_700_000_000_000L).setRaisedMs(1_700_000_060_000L)).build();
        Envelope cleared = Envelope.newBuilder().setSequence(4).setBootEpoch(42).setFaultCleared(FaultCleared.newBuilder()
                .setFault(disk).setClearedMs(1_700_000_120_000L).setReason("recovered")).build();
        Envelope heartbeat = Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setAgentTimeMs(5)).build();
        Map<String, List<Envelope>> sessions = new LinkedHashMap<>();
        sessions.put("hello-only", List.of(hello));
        sessions.put("samples", List.of(hello, dictionary, sample, heartbeat, inventory));
        sessions.put("fault-raised-then-cleared", List.of(hello, dictionary, sample, raised, cleared));
        sessions.put("duplicate-sequence", List.of(hello, sample, sample, raised, raised));
        sessions.put("future-boot", List.of(hello, sample.toBuilder().setBootEpoch(43).build()));
        sessions.put("dictionary-from-the-future", List.of(hello, dictionary.toBuilder()
                .setSeriesDictionary(dictionary.getSeriesDictionary().toBuilder().setBootEpoch(43).setDropped(3).setOldestPending(9)).build()));
        sessions.put("ack-from-an-agent", List.of(hello, Envelope.newBuilder().setAck(Ack.newBuilder().setSequence(1)).build()));
        sessions.put("welcome-from-an-agent", List.of(hello, Envelope.newBuilder().setWelcome(Welcome.newBuilder().setProtocolVersion(1)).build()));
        sessions.put("enroll-mid-session", List.of(hello, Envelope.newBuilder().setEnrollRequest(EnrollRequest.newBuilder()
                .setToken("t").setCsr(ByteString.copyFromUtf8("x"))).build()));
        sessions.put("renew-without-tls", List.of(hello, Envelope.newBuilder().setRenewRequest(RenewRequest.newBuilder()
                .setCsr(ByteString.copyFromUtf8("x"))).build()));
        sessions.put("sample-before-hello", List.of(sample, hello));
        sessions.put("empty-envelope", List.of(hello, Envelope.getDefaultInstance()));
        sessions.put("old-protocol", List.of(hello.toBuilder().setHello(hello.getHello().toBuilder().setProtocolVersion(0)
                .setMinProtocolVersion(0)).build()));
        Path out = Path.of("src/test/resources/io/firstline/console/ingest/SessionFuzzTestInputs/anyBytesFromAnAgentEndCleanly");
        Files.createDirectories(out);
        for (Map.Entry<String, List<Envelope>> s : sessions.entrySet()) {
            Files.write(out.resolve(s.getKey()), encode(s.getValue()));
        }
    }

    private static byte[] encode(List<Envelope> envelopes) {
        EmbeddedChannel enc = new EmbeddedChannel();
        Framing.addCodec(enc.pipeline(), WireProtocol.DEFAULT_MAX_FRAME_BYTES);
        envelopes.forEach(enc::writeOutbound);
        ByteBuf wire = Unpooled.buffer();
        Object o;
        while ((o = enc.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            wire.writeBytes(b);
            b.release();
        }
        enc.finishAndReleaseAll();
        byte[] bytes = new byte[wire.readableBytes()];
        wire.readBytes(bytes);
        wire.release();
        return bytes;
    }
}

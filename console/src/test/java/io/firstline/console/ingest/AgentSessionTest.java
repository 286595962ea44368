package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.Envelope;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Hello;
import io.firstline.proto.Refuse;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.wire.WireProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The console's side of the link, driven frame by frame through the real pipeline. */
class AgentSessionTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IngestMetrics metrics = new IngestMetrics(registry);
    private final ConsoleConfig config = ConsoleConfig.defaults(Path.of("/tmp/unused"));
    private final FleetState fleet = new FleetState(Clock.systemUTC(), config.offlineAfter());

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(AgentServerInitializer.plaintextForTests(config, fleet, metrics, "console-test", IngestPorts.NONE));
        ch.freezeTime();
        return ch;
    }

    private static Envelope hello(int min, int max) {
        return Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("agent-1").setBootEpoch(42)
                .setProtocolVersion(max).setMinProtocolVersion(min).addCollectors("cpu")
                .setHost(HostFacts.newBuilder().setHostname("h"))).build();
    }

    private static Envelope sample(long seq) {
        return Envelope.newBuilder().setSequence(seq).setSample(Sample.newBuilder().setTimestampMs(seq)
                .addNewSeries(SeriesDef.newBuilder().setId(1).setMetric("cpu.usage_ratio")).addSeries(1).addValues(0.5)).build();
    }

    /** Writes envelopes through an encoding pipeline and feeds the bytes to {@code ch}. */
    private static void send(EmbeddedChannel ch, Envelope... envelopes) {
        EmbeddedChannel enc = new EmbeddedChannel();
        io.firstline.wire.Framing.addCodec(enc.pipeline(), WireProtocol.DEFAULT_MAX_FRAME_BYTES);
        for (Envelope e : envelopes) {
            enc.writeOutbound(e);
            Object o;
            while ((o = enc.readOutbound()) != null) {
                ch.writeInbound(o);
            }
        }
        enc.finishAndReleaseAll();
    }

    private static Envelope reply(EmbeddedChannel ch) {
        EmbeddedChannel dec = new EmbeddedChannel();
        io.firstline.wire.Framing.addCodec(dec.pipeline(), WireProtocol.DEFAULT_MAX_FRAME_BYTES);
        Object o;
        while ((o = ch.readOutbound()) != null) {
            dec.writeInbound(o);
        }
        Envelope e = dec.readInbound();
        dec.finishAndReleaseAll();
        return e;
    }

    private double rejected(String reason) {
        return registry.get("firstline.connections.rejected").tag("reason", reason).counter().count();
    }

    @Test
    void helloIsWelcomedAndSamplesAreAppliedAndAcked() {
        EmbeddedChannel ch = channel();
        send(ch, hello(1, WireProtocol.VERSION));
        Envelope welcome = reply(ch);
        assertEquals(WireProtocol.VERSION, welcome.getWelcome().getProtocolVersion());
        assertEquals(10_000, welcome.getWelcome().getSampleIntervalMs());
        send(ch, sample(1));
        assertEquals(1, reply(ch).getAck().getSequence());
        assertEquals(0.5, fleet.get("agent-1").orElseThrow().value("cpu.usage_ratio").orElseThrow());
        send(ch, sample(1));
        assertEquals(1, reply(ch).getAck().getSequence(), "a duplicate is acknowledged again, not applied again");
        assertEquals(1.0, registry.get("firstline.ingest.duplicates").counter().count());
        assertTrue(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void aBurstReadAtOnceIsAcknowledgedWithOneAck() {
        EmbeddedChannel ch = channel();
        send(ch, hello(1, WireProtocol.VERSION));
        reply(ch);
        // A backlog arrives in one read: five samples, one Ack for the last (acks are positional).
        EmbeddedChannel enc = new EmbeddedChannel();
        io.firstline.wire.Framing.addCodec(enc.pipeline(), WireProtocol.DEFAULT_MAX_FRAME_BYTES);
        io.netty.buffer.CompositeByteBuf burst = Unpooled.compositeBuffer();
        for (long seq = 1; seq <= 5; seq++) {
            enc.writeOutbound(sample(seq));
            for (Object o; (o = enc.readOutbound()) != null; ) {
                burst.addComponent(true, (io.netty.buffer.ByteBuf) o);
            }
        }
        enc.finishAndReleaseAll();
        ch.writeInbound(burst);
        java.util.List<Long> acks = new java.util.ArrayList<>();
        for (Envelope e; (e = reply(ch)) != null; ) {
            acks.add(e.getAck().getSequence());
        }
        assertEquals(java.util.List.of(5L), acks);
        assertEquals(5, fleet.committedThrough("agent-1"));
        assertEquals(5.0, registry.get("firstline.ingest.samples").counter().count());
        ch.finishAndReleaseAll();
    }

    @Test
    void sampleBeforeHelloClosesWithProtocol() {
        EmbeddedChannel ch = channel();
        send(ch, sample(1));
        assertFalse(ch.isActive());
        assertEquals(1.0, rejected("protocol"));
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownBodyClosesWithUnknownType() {
        EmbeddedChannel ch = channel();
        send(ch, hello(1, 1));
        reply(ch);
        ch.writeInbound(Unpooled.buffer().writeInt(3).writeBytes(new byte[] {(byte) 0xF8, 0x06, 0x01})); // field 111 = 1
        assertFalse(ch.isActive());
        assertEquals(1.0, rejected("unknown_type"));
        ch.finishAndReleaseAll();
    }

    @Test
    void unsupportedVersionIsRefusedAndCounted() {
        EmbeddedChannel ch = channel();
        send(ch, hello(WireProtocol.VERSION + 1, WireProtocol.VERSION + 3));
        Envelope r = reply(ch);
        assertEquals(Refuse.Reason.UNSUPPORTED_PROTOCOL, r.getRefuse().getReason());
        assertFalse(ch.isActive());
        assertEquals(1.0, rejected("unsupported_version"));
        ch.finishAndReleaseAll();
    }

    @Test
    void noHelloWithinTheTimeoutCloses() {
        EmbeddedChannel ch = channel();
        ch.advanceTimeBy(config.handshakeTimeout().toMillis() - 500, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive());
        ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive());
        assertEquals(1.0, rejected("handshake_timeout"));
        ch.finishAndReleaseAll();
    }

    @Test
    void oversizeAndGarbageCloseOnlyThatConnection() {
        EmbeddedChannel bad = channel();
        EmbeddedChannel good = channel();
        send(good, hello(1, 1));
        reply(good);
        try {
            bad.writeInbound(Unpooled.buffer().writeInt(config.maxFrameBytes() + 1));
        } catch (RuntimeException expectedInEmbedded) {
            // EmbeddedChannel rethrows what the pipeline already handled
        }
        assertFalse(bad.isActive());
        assertEquals(1.0, rejected("oversize"));
        assertEquals(1.0, registry.get("firstline.frames.rejected").tag("reason", "oversize").counter().count());
        EmbeddedChannel garbage = channel();
        garbage.writeInbound(Unpooled.buffer().writeInt(4).writeInt(0xFFFFFFFF));
        assertFalse(garbage.isActive());
        assertEquals(1.0, rejected("malformed"));
        send(good, sample(1));
        assertEquals(1, reply(good).getAck().getSequence());
        assertTrue(good.isActive());
        bad.finishAndReleaseAll();
        good.finishAndReleaseAll();
        garbage.finishAndReleaseAll();
        assertEquals(Duration.ofSeconds(10), config.handshakeTimeout());
    }

    @Test
    void liveBeforeBacklogAndEarlierBootsAreEachAppliedOnce() {
        EmbeddedChannel ch = channel();
        send(ch, hello(1, 1));
        reply(ch);
        send(ch, sample(5));
        assertEquals(5, reply(ch).getAck().getSequence());
        for (int i = 1; i <= 5; i++) {
            send(ch, sample(i));
            io.firstline.proto.Ack a = reply(ch).getAck();
            assertEquals(42, a.getBootEpoch());
            assertEquals(i, a.getSequence());
        }
        assertEquals(1.0, registry.get("firstline.ingest.duplicates").counter().count(), "only the resent 5");
        assertEquals(5, fleet.committedThrough("agent-1"));

        Envelope earlier = sample(3).toBuilder().setBootEpoch(7).build();
        send(ch, earlier);
        io.firstline.proto.Ack a = reply(ch).getAck();
        assertEquals(7, a.getBootEpoch());
        assertEquals(3, a.getSequence());
        send(ch, earlier);
        reply(ch);
        assertEquals(2.0, registry.get("firstline.ingest.duplicates").counter().count());
        assertEquals(0.5, fleet.get("agent-1").orElseThrow().value("cpu.usage_ratio").orElseThrow(), "the live view is untouched");
        assertTrue(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void dictionaryReportsDropsAndEndsTheWaitForDroppedSequences() {
        EmbeddedChannel ch = channel();
        send(ch, hello(1, 1));
        reply(ch);
        send(ch, sample(1), sample(4));
        reply(ch);
        assertEquals(1, fleet.committedThrough("agent-1"), "2 and 3 are still expected");
        send(ch, Envelope.newBuilder().setSeriesDictionary(io.firstline.proto.SeriesDictionary.newBuilder()
                .setBootEpoch(42).setDropped(2).setOldestPending(4)).build());
        assertEquals(4, fleet.committedThrough("agent-1"), "the agent dropped 2 and 3");
        assertEquals(2.0, registry.get("firstline.agent.spool.dropped").counter().count());
        assertEquals(2, fleet.spoolDropped("agent-1"));
        send(ch, Envelope.newBuilder().setSeriesDictionary(io.firstline.proto.SeriesDictionary.newBuilder()
                .setBootEpoch(42).setDropped(2).setOldestPending(5)).build());
        assertEquals(2.0, registry.get("firstline.agent.spool.dropped").counter().count(), "a repeated report is not counted again");
        ch.finishAndReleaseAll();
    }

    @Test
    void aMessageFromALaterBootThanTheHelloIsAProtocolError() {
        EmbeddedChannel ch = channel();
        send(ch, hello(1, 1));
        reply(ch);
        send(ch, sample(1).toBuilder().setBootEpoch(43).build());
        assertFalse(ch.isActive());
        assertEquals(1.0, rejected("protocol"));
        ch.finishAndReleaseAll();
    }

    @Test
    void helloWithoutTlsIsNotAcceptedWhereCertificatesAreRequired() {
        // The production pipeline always has TLS; this checks the session's own guard.
        AgentSession s = new AgentSession(config, fleet, metrics, "c", true, null, Runnable::run, new LiveConnections(), IngestPorts.NONE);
        EmbeddedChannel ch = new EmbeddedChannel();
        io.firstline.wire.Framing.addCodec(ch.pipeline(), WireProtocol.DEFAULT_MAX_FRAME_BYTES);
        ch.pipeline().addLast(s);
        send(ch, hello(1, 1));
        assertEquals(Refuse.Reason.NOT_ENROLLED, reply(ch).getRefuse().getReason());
        assertEquals(1.0, rejected("no_client_certificate"));
        ch.finishAndReleaseAll();
    }

    /**
     * A node whose store is unavailable refuses the Hello with
     * STORE_UNAVAILABLE and a time to come back, so the agent goes to another
     * node at once and leaves this one alone for a while.
     */
    @Test
    void aNodeWithoutItsStoreRefusesTheHelloWithATimeToComeBack() {
        Handover noStore = new Handover() {
            @Override
            public java.util.concurrent.CompletableFuture<java.util.Map<Long, Long>> claim(Hello hello) {
                return java.util.concurrent.CompletableFuture.failedFuture(Handover.Refused.storeUnavailable("the test store",
                        hello.getAgentId()));
            }

            @Override
            public void released(String agentId) {
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(AgentServerInitializer.plaintextForTests(config, fleet, metrics, "console-test",
                IngestPorts.NONE.withHandover(noStore)));
        send(ch, hello(1, WireProtocol.VERSION));
        ch.runPendingTasks();
        Refuse r = reply(ch).getRefuse();
        assertEquals(Refuse.Reason.STORE_UNAVAILABLE, r.getReason());
        assertTrue(r.getMessage().contains("cannot reach its store (the test store)"), r.getMessage());
        assertEquals(Handover.Refused.STORE_RETRY_AFTER_MS, r.getRetryAfterMs());
        assertEquals(Handover.Refused.STORE_RETRY_SPREAD_MS, r.getRetrySpreadMs());
        assertFalse(ch.isActive());
        assertEquals(1.0, rejected("store_unavailable"));
        assertEquals(0.0, rejected("internal"));
        ch.finishAndReleaseAll();
    }
}

package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.Ack;
import io.firstline.proto.EnrollRequest;
import io.firstline.proto.Envelope;
import io.firstline.proto.Heartbeat;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Inventory;
import io.firstline.proto.RenewRequest;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDictionary;
import io.firstline.proto.Welcome;
import io.firstline.wire.Framing;
import io.firstline.wire.WireProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes a whole console session: a Hello, then any mix of valid, mutated
 * and out-of-place messages (acks and welcomes from an "agent", enrollment
 * mid-session, samples from future boots). Whatever arrives, the session
 * either carries on or closes with a classified reason; it never fails with
 * an internal error.
 */
class SessionFuzzTest {
    private static final List<Envelope> MESSAGES = List.of(
            Envelope.newBuilder().setSequence(1).setSample(Sample.newBuilder().setTimestampMs(1).addSeries(1).addValues(0.5)).build(),
            Envelope.newBuilder().setSequence(2).setBootEpoch(7).setSample(Sample.newBuilder().addSeries(3)).build(),
            Envelope.newBuilder().setSequence(3).setInventory(Inventory.newBuilder().setDigest("d")).build(),
            Envelope.newBuilder().setSeriesDictionary(SeriesDictionary.newBuilder().setBootEpoch(42).setDropped(3).setOldestPending(9)).build(),
            Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setAgentTimeMs(5)).build(),
            Envelope.newBuilder().setAck(Ack.newBuilder().setSequence(1)).build(),
            Envelope.newBuilder().setWelcome(Welcome.newBuilder().setProtocolVersion(1)).build(),
            Envelope.newBuilder().setEnrollRequest(EnrollRequest.newBuilder().setToken("t").setCsr(ByteString.copyFromUtf8("x"))).build(),
            Envelope.newBuilder().setRenewRequest(RenewRequest.newBuilder().setCsr(ByteString.copyFromUtf8("x"))).build(),
            Envelope.newBuilder().setSequence(1).setBootEpoch(43).setSample(Sample.getDefaultInstance()).build());

    @Property(tries = 300)
    void anyMessageMixEndsCleanly(@ForAll("sessions") List<Integer> picks, @ForAll("mutations") List<Integer> mutations) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConsoleConfig config = ConsoleConfig.defaults(Path.of("/tmp/unused"));
        EmbeddedChannel ch = new EmbeddedChannel(AgentServerInitializer.plaintextForTests(config,
                new FleetState(Clock.systemUTC(), config.offlineAfter()), new IngestMetrics(registry), "fuzz"));
        EmbeddedChannel enc = new EmbeddedChannel();
        Framing.addCodec(enc.pipeline(), WireProtocol.DEFAULT_MAX_FRAME_BYTES);
        enc.writeOutbound(Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("fuzz").setBootEpoch(42)
                .setProtocolVersion(1).setMinProtocolVersion(1).setHost(HostFacts.newBuilder().setHostname("f"))).build());
        for (int i = 0; i < picks.size(); i++) {
            enc.writeOutbound(MESSAGES.get(picks.get(i) % MESSAGES.size()));
        }
        ByteBuf wire = Unpooled.buffer();
        Object o;
        while ((o = enc.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            wire.writeBytes(b);
            b.release();
        }
        for (int m : mutations) {
            int at = 20 + m % Math.max(1, wire.readableBytes() - 20); // keep the Hello mostly intact
            if (at < wire.readableBytes()) {
                wire.setByte(at, wire.getByte(at) ^ (1 + m % 255));
            }
        }
        try {
            ch.writeInbound(wire);
        } catch (RuntimeException handledByThePipeline) {
            // EmbeddedChannel rethrows what the session already classified
        }
        assertEquals(0.0, registry.get("firstline.connections.rejected").tag("reason", "internal").counter().count());
        ch.finishAndReleaseAll();
        enc.finishAndReleaseAll();
    }

    @Provide
    Arbitrary<List<Integer>> sessions() {
        return Arbitraries.integers().between(0, 1000).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Integer>> mutations() {
        return Arbitraries.integers().between(0, 100_000).list().ofMaxSize(3);
    }
}

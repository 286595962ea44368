package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.Envelope;
import io.firstline.proto.FaultRaised;
import io.firstline.proto.FaultRef;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Hello;
import io.firstline.proto.RuleSet;
import io.firstline.proto.Sample;
import io.firstline.wire.WireProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Fault events on the console's side of the link: the rule set goes down, acks wait for commits. */
class AgentSessionFaultTest {
    private final ConsoleConfig config = ConsoleConfig.defaults(Path.of("/tmp/unused"));
    private final FleetState fleet = new FleetState(Clock.systemUTC(), config.offlineAfter());
    private final List<CompletableFuture<Commit>> commits = new ArrayList<>();
    private final List<Long> applied = new ArrayList<>();

    private final FaultPort port = new FaultPort() {
        @Override
        public Optional<Envelope> ruleSet(Hello hello) {
            return Optional.of(Envelope.newBuilder().setRuleSet(RuleSet.newBuilder().setVersion("v1")).build());
        }

        @Override
        public CompletableFuture<Commit> apply(String agentId, long bootEpoch, long sequence, Envelope event) {
            applied.add(sequence);
            CompletableFuture<Commit> f = new CompletableFuture<>();
            commits.add(f);
            return f;
        }
    };

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(AgentServerInitializer.plaintextForTests(config, fleet,
                new IngestMetrics(new SimpleMeterRegistry()), "console-test", IngestPorts.NONE.withFaults(port)));
        ch.freezeTime();
        return ch;
    }

    private static void hello(EmbeddedChannel ch) {
        Wire.send(ch, Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("agent-1").setBootEpoch(42)
                .setProtocolVersion(WireProtocol.VERSION).setMinProtocolVersion(WireProtocol.MIN_VERSION)
                .setHost(HostFacts.newBuilder().setHostname("h"))).build());
    }

    private static Envelope fault(long seq) {
        return Envelope.newBuilder().setSequence(seq).setFaultRaised(FaultRaised.newBuilder()
                .setFault(FaultRef.newBuilder().setRuleId("disk_almost_full").setResource("/")).setValue(0.95)).build();
    }

    private static Envelope sample(long seq) {
        return Envelope.newBuilder().setSequence(seq).setSample(Sample.newBuilder().setTimestampMs(seq)).build();
    }

    @Test
    void rulesFollowTheWelcomeAndNoAckOvertakesAFaultStillCommitting() {
        EmbeddedChannel ch = channel();
        hello(ch);
        List<Envelope> first = Wire.replies(ch);
        assertEquals(Envelope.BodyCase.WELCOME, first.get(0).getBodyCase());
        assertEquals("v1", first.get(1).getRuleSet().getVersion());

        Wire.send(ch, sample(1));
        assertEquals(List.of(1L), Wire.acks(Wire.replies(ch)));
        Wire.send(ch, fault(2));
        Wire.send(ch, sample(3));
        Wire.send(ch, fault(4));
        assertEquals(List.of(), Wire.acks(Wire.replies(ch)), "nothing acked while fault 2 commits");
        assertEquals(List.of(2L, 4L), applied);
        commits.get(0).complete(Commit.APPLIED);
        // Acks are positional: 2 and 3 are committed, and 4 came after them; one Ack (for 3) covers both.
        assertEquals(List.of(3L), Wire.acks(Wire.replies(ch)), "fault 4 is still committing; nothing after it is acked");
        Wire.send(ch, sample(7));
        assertEquals(List.of(), Wire.acks(Wire.replies(ch)), "sample 7 waits behind fault 4");
        commits.get(1).complete(Commit.APPLIED);
        assertEquals(List.of(7L), Wire.acks(Wire.replies(ch)), "4 and 7 in one Ack once fault 4 is committed");
        Wire.send(ch, sample(5));
        assertEquals(List.of(5L), Wire.acks(Wire.replies(ch)));

        Wire.send(ch, fault(8));
        commits.get(2).completeExceptionally(new IllegalStateException("disk full"));
        Wire.replies(ch);
        assertTrue(!ch.isActive(), "a failed commit closes the connection so the agent sends it again");
        ch.finishAndReleaseAll();
    }

    @Test
    void aStoppingConsoleAcksWhatIsCommittingThenSaysWhenToComeBack() {
        EmbeddedChannel ch = channel();
        hello(ch);
        Wire.replies(ch);
        Wire.send(ch, fault(1));
        Wire.send(ch, sample(2));
        ch.pipeline().fireUserEventTriggered(new ShuttingDown(1_000, 10_000));
        assertEquals(List.of(), Wire.replies(ch), "fault 1 is still committing: no ack, no goodbye yet");
        assertTrue(ch.isActive());
        Wire.send(ch, sample(3));
        commits.get(0).complete(Commit.APPLIED);
        List<Envelope> out = Wire.replies(ch);
        assertEquals(List.of(2L), Wire.acks(out),
                "one Ack for the run (acks are positional): fault 1 and sample 2 behind it; sample 3 came after the stop and is not");
        Envelope last = out.get(out.size() - 1);
        assertEquals(io.firstline.proto.Refuse.Reason.SHUTTING_DOWN, last.getRefuse().getReason());
        assertEquals(1_000, last.getRefuse().getRetryAfterMs());
        assertEquals(10_000, last.getRefuse().getRetrySpreadMs());
        ch.runPendingTasks();
        assertTrue(!ch.isActive(), "closed after the goodbye");
        ch.finishAndReleaseAll();
    }

    @Test
    void aStoppingConsoleClosesAConnectionNotYetWelcomedAtOnce() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireUserEventTriggered(new ShuttingDown(1_000, 10_000));
        ch.runPendingTasks();
        assertTrue(!ch.isActive());
        ch.finishAndReleaseAll();
    }
}

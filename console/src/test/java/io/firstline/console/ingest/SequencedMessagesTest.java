package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.Envelope;
import io.firstline.proto.FaultCleared;
import io.firstline.proto.FaultRaised;
import io.firstline.proto.FaultRef;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Inventory;
import io.firstline.proto.Refuse;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.SeriesDictionary;
import io.firstline.wire.WireProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every sequenced message kind through the one path of the console's side of
 * the link: the ledger's watermark, duplicates, refusals and the range of
 * sequence numbers, driven through the real pipeline.
 */
class SequencedMessagesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IngestMetrics metrics = new IngestMetrics(registry);
    private final ConsoleConfig config = ConsoleConfig.defaults(Path.of("/tmp/unused"));
    private final FleetState fleet = new FleetState(Clock.systemUTC(), config.offlineAfter());
    private final List<Long> applied = new ArrayList<>();
    /** What the fault port answers; a real one commits tickets (FaultEndToEndTest). */
    private Commit faultAnswer = Commit.APPLIED;

    private final FaultPort port = new FaultPort() {
        @Override
        public Optional<Envelope> ruleSet(Hello hello) {
            return Optional.empty();
        }

        @Override
        public CompletableFuture<Commit> apply(String agentId, long bootEpoch, long sequence, Envelope event) {
            applied.add(sequence);
            // Completed at once (AgentSessionFaultTest covers commits that finish later).
            return CompletableFuture.completedFuture(faultAnswer);
        }

        @Override
        public void holdsNothingBelow(String agentId, long bootEpoch, long oldestPending) {
            floors.add(agentId + "/" + bootEpoch + "<" + oldestPending);
        }
    };
    private final List<String> floors = new ArrayList<>();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(AgentServerInitializer.plaintextForTests(config, fleet, metrics, "console-test", IngestPorts.NONE.withFaults(port)));
        ch.freezeTime();
        return ch;
    }

    private static Envelope hello(long epoch) {
        return Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("agent-1").setBootEpoch(epoch)
                .setProtocolVersion(WireProtocol.VERSION).setMinProtocolVersion(WireProtocol.MIN_VERSION)
                .setHost(HostFacts.newBuilder().setHostname("h"))).build();
    }

    static Envelope sample(long seq) {
        return Envelope.newBuilder().setSequence(seq).setSample(Sample.newBuilder().setTimestampMs(seq)
                .addNewSeries(SeriesDef.newBuilder().setId(1).setMetric("cpu.usage_ratio")).addSeries(1).addValues(0.5)).build();
    }

    static Envelope inventory(long seq) {
        return Envelope.newBuilder().setSequence(seq).setInventory(Inventory.newBuilder().setDigest("d" + seq)).build();
    }

    static Envelope raised(long seq) {
        return Envelope.newBuilder().setSequence(seq).setFaultRaised(FaultRaised.newBuilder()
                .setFault(FaultRef.newBuilder().setRuleId("disk_almost_full").setResource("/")).setMetric("fs.used_ratio")
                .setValue(0.95)).build();
    }

    static Envelope cleared(long seq) {
        return Envelope.newBuilder().setSequence(seq).setFaultCleared(FaultCleared.newBuilder()
                .setFault(FaultRef.newBuilder().setRuleId("disk_almost_full").setResource("/")).setReason("recovered")).build();
    }

    static Envelope userReport(long seq) {
        return Envelope.newBuilder().setSequence(seq).setUserReport(io.firstline.proto.UserReport.newBuilder()
                .setReportId("report-" + seq).setUser("alice").setText("my screen froze")).build();
    }

    static Envelope diagnosticResult(long seq) {
        return Envelope.newBuilder().setSequence(seq).setDiagnosticResult(io.firstline.proto.DiagnosticResult.newBuilder()
                .setRequestId(seq).setLast(true).setOutcome(io.firstline.proto.DiagnosticResult.Outcome.DONE)).build();
    }

    /** One builder per sequenced kind; the test below fails if a kind is added without one here. */
    private static final List<IntFunction<Envelope>> EVERY_KIND = List.of(
            SequencedMessagesTest::sample, SequencedMessagesTest::inventory, SequencedMessagesTest::raised,
            SequencedMessagesTest::cleared, SequencedMessagesTest::userReport, SequencedMessagesTest::diagnosticResult);

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    @Test
    void everySequencedKindIsInTheTableAndEveryOtherAgentBodyIsKnownUnsequenced() {
        SequencedKinds kinds = new SequencedKinds(metrics, IngestPorts.NONE.withFaults(port));
        Set<Envelope.BodyCase> all = EnumSet.allOf(Envelope.BodyCase.class);
        all.remove(Envelope.BodyCase.BODY_NOT_SET);
        all.removeAll(SequencedKinds.UNSEQUENCED);
        all.removeAll(SequencedKinds.CONSOLE_ONLY);
        assertEquals(all, kinds.sequenced(),
                "a new Envelope body must be listed in SequencedKinds (sequenced) or in its UNSEQUENCED or CONSOLE_ONLY sets");
        assertEquals(kinds.sequenced().size(), EVERY_KIND.size(), "add the new kind to EVERY_KIND in this test too");
    }

    @Test
    void faultEventsAdvanceTheWatermarkLikeEveryOtherKind() {
        EmbeddedChannel ch = channel();
        Wire.send(ch, hello(42));
        assertEquals(0, Wire.replies(ch, 5_000).get(0).getWelcome().getAckedSequence());
        List<Envelope> seq = List.of(sample(1), sample(2), raised(3), cleared(4), sample(5), sample(6));
        List<Long> acked = new ArrayList<>();
        for (Envelope e : seq) {
            Wire.send(ch, e);
            acked.addAll(Wire.acks(Wire.replies(ch, 5_000)));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), acked);
        ch.finishAndReleaseAll();

        EmbeddedChannel again = channel();
        Wire.send(again, hello(42));
        assertEquals(6, Wire.replies(again, 5_000).get(0).getWelcome().getAckedSequence(), "the watermark passed the fault events");
        assertEquals(0, fleet.settledAboveWatermark("agent-1"));
        again.finishAndReleaseAll();
    }

    @Test
    void aLongEpochOfEveryKindKeepsTheLedgerBounded() {
        EmbeddedChannel ch = channel();
        ch.pipeline().remove("floodGuard"); // 3,000 frames in a second would be a flood
        Wire.send(ch, hello(42));
        Wire.replies(ch, 5_000);
        int n = 3_000;
        int most = 0;
        for (int i = 1; i <= n; i++) {
            Wire.send(ch, EVERY_KIND.get(i % EVERY_KIND.size()).apply(i));
            assertEquals(List.of((long) i), Wire.acks(Wire.replies(ch, 5_000)));
            most = Math.max(most, fleet.settledAboveWatermark("agent-1"));
        }
        assertEquals(n, fleet.committedThrough("agent-1"));
        assertEquals(0, most, "nothing waits above the watermark when every kind is recorded");
        int kinds = EVERY_KIND.size(); // samples, inventories, raises, clears, user reports, diagnostic results: n / kinds of each
        assertEquals(n / kinds, counter("firstline.ingest.inventories"));
        assertEquals(2 * n / kinds, counter("firstline.ingest.faults"));
        assertEquals(n / kinds, counter("firstline.ingest.user.reports"));
        assertEquals(n / kinds, counter("firstline.ingest.diagnostic.results"));
        assertEquals(0, counter("firstline.ingest.duplicates"));
        ch.finishAndReleaseAll();
    }

    @Test
    void aReplayedFaultEventIsADuplicateNotAFault() {
        EmbeddedChannel ch = channel();
        Wire.send(ch, hello(42));
        Wire.replies(ch, 5_000);
        Wire.send(ch, raised(1));
        assertEquals(List.of(1L), Wire.acks(Wire.replies(ch, 5_000)));
        Wire.send(ch, raised(1));
        assertEquals(List.of(1L), Wire.acks(Wire.replies(ch, 5_000)), "acknowledged again");
        assertEquals(List.of(1L), applied, "not handed to the tickets again");
        assertEquals(1, counter("firstline.ingest.faults"));
        assertEquals(1, counter("firstline.ingest.duplicates"));

        // After a console restart the ledger is empty; the ticket store recognises the replay.
        faultAnswer = Commit.DUPLICATE;
        Wire.send(ch, cleared(2));
        assertEquals(List.of(2L), Wire.acks(Wire.replies(ch, 5_000)));
        assertEquals(1, counter("firstline.ingest.faults"));
        assertEquals(2, counter("firstline.ingest.duplicates"));
        ch.finishAndReleaseAll();
    }

    /** Each SeriesDictionary tells the fault port what the agent can no longer send, so the ticket store forgets it. */
    @Test
    void theDictionarysOldestPendingReachesTheFaultPort() {
        EmbeddedChannel ch = channel();
        Wire.send(ch, hello(42));
        Wire.replies(ch, 5_000);
        Wire.send(ch, Envelope.newBuilder().setSeriesDictionary(SeriesDictionary.newBuilder().setBootEpoch(42).setOldestPending(7)).build());
        Wire.send(ch, Envelope.newBuilder().setSeriesDictionary(SeriesDictionary.newBuilder().setBootEpoch(41)).build());
        assertEquals(List.of("agent-1/42<7", "agent-1/41<0"), floors);
        ch.finishAndReleaseAll();
    }

    @Test
    void aRefusedFaultEventIsAcknowledgedCountedByReasonAndTheConnectionStays() {
        EmbeddedChannel ch = channel();
        Wire.send(ch, hello(42));
        Wire.replies(ch, 5_000);
        faultAnswer = Commit.CONSOLE_RULE;
        Wire.send(ch, raised(1));
        assertEquals(List.of(1L), Wire.acks(Wire.replies(ch, 5_000)));
        assertTrue(ch.isActive());
        assertEquals(1, registry.get("firstline.ingest.refused").tag("reason", "console_rule").counter().count());
        assertEquals(0, counter("firstline.ingest.faults"));
        Wire.send(ch, sample(2));
        assertEquals(List.of(2L), Wire.acks(Wire.replies(ch, 5_000)));
        assertEquals(2, fleet.committedThrough("agent-1"), "a refused message is settled too");
        ch.finishAndReleaseAll();
    }

    @Test
    void sequencesAndEpochsAboveTwoToThe63AreRefusedNeverAcknowledged() {
        EmbeddedChannel ch = channel();
        Wire.send(ch, hello(42));
        Wire.replies(ch, 5_000);
        Wire.send(ch, sample(-1L)); // 2^64 - 1 on the wire
        assertEquals(List.of(), Wire.acks(Wire.replies(ch, 5_000)));
        assertFalse(ch.isActive());
        assertEquals(1, registry.get("firstline.connections.rejected").tag("reason", "protocol").counter().count());
        assertEquals(0, counter("firstline.ingest.duplicates"));
        ch.finishAndReleaseAll();

        EmbeddedChannel fromTheFuture = channel();
        Wire.send(fromTheFuture, hello(42));
        Wire.replies(fromTheFuture, 5_000);
        Wire.send(fromTheFuture, sample(1).toBuilder().setBootEpoch(-1L).build());
        assertEquals(List.of(), Wire.acks(Wire.replies(fromTheFuture, 5_000)));
        assertFalse(fromTheFuture.isActive(), "an epoch of 2^64 - 1 is not an earlier epoch");
        fromTheFuture.finishAndReleaseAll();

        EmbeddedChannel dictionary = channel();
        Wire.send(dictionary, hello(42));
        Wire.replies(dictionary, 5_000);
        Wire.send(dictionary, Envelope.newBuilder().setSeriesDictionary(SeriesDictionary.newBuilder().setBootEpoch(42)
                .setOldestPending(Long.MIN_VALUE)).build());
        assertFalse(dictionary.isActive(), "oldest_pending 2^63 would have moved the watermark to the end");
        dictionary.finishAndReleaseAll();
        assertEquals(0, fleet.committedThrough("agent-1"));

        EmbeddedChannel badHello = channel();
        Wire.send(badHello, hello(-5L));
        assertEquals(Refuse.Reason.BAD_HELLO, Wire.replies(badHello, 5_000).get(0).getRefuse().getReason());
        badHello.finishAndReleaseAll();
    }
}

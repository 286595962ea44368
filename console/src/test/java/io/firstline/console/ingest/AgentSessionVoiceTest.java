package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.Envelope;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Hello;
import io.firstline.proto.Sample;
import io.firstline.proto.UserReport;
import io.firstline.wire.WireProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** User reports on the console's side of the link: acked after their commit, their sequence in the ledger. */
class AgentSessionVoiceTest {
    private final ConsoleConfig config = ConsoleConfig.defaults(Path.of("/tmp/unused"));
    private final FleetState fleet = new FleetState(Clock.systemUTC(), config.offlineAfter());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<CompletableFuture<Commit>> commits = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();
    private final List<String> connected = new ArrayList<>();

    private final VoicePort port = new VoicePort() {
        @Override
        public CompletableFuture<Commit> report(String agentId, long bootEpoch, long sequence, UserReport report) {
            reports.add(agentId + "/" + bootEpoch + "/" + sequence + "/" + report.getReportId());
            CompletableFuture<Commit> f = new CompletableFuture<>();
            commits.add(f);
            return f;
        }

        @Override
        public void connected(String agentId, Channel channel) {
            connected.add(agentId);
        }
    };

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(AgentServerInitializer.plaintextForTests(config, fleet, new IngestMetrics(registry),
                "console-test", IngestPorts.NONE.withVoice(port)));
        ch.freezeTime();
        return ch;
    }

    private static Envelope report(long seq, String id) {
        return Envelope.newBuilder().setSequence(seq).setUserReport(UserReport.newBuilder().setReportId(id).setUser("alice")
                .setText("my screen froze")).build();
    }

    @Test
    void aReportIsAckedOnlyOnceCommittedAndItsSequenceIsInTheLedger() {
        EmbeddedChannel ch = channel();
        Wire.send(ch, Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("agent-1").setBootEpoch(42)
                .setProtocolVersion(WireProtocol.VERSION).setMinProtocolVersion(WireProtocol.MIN_VERSION)
                .setHost(HostFacts.newBuilder().setHostname("h"))).build());
        Wire.acks(Wire.replies(ch));
        assertEquals(List.of("agent-1"), connected, "the voice hears of the connection, to push the ticket status");

        Wire.send(ch, report(1, "r-1"));
        Wire.send(ch, Envelope.newBuilder().setSequence(2).setSample(Sample.newBuilder().setTimestampMs(2)).build());
        assertEquals(List.of(), Wire.acks(Wire.replies(ch)), "nothing acked while the report commits");
        assertEquals(List.of("agent-1/42/1/r-1"), reports);
        assertEquals(0, fleet.committedThrough("agent-1"), "the ledger waits for the commit");
        commits.get(0).complete(Commit.APPLIED);
        assertEquals(List.of(2L), Wire.acks(Wire.replies(ch)), "one positional Ack covers the report and the sample behind it");
        assertEquals(2, fleet.committedThrough("agent-1"), "the report's sequence is recorded like a sample's");
        assertEquals(1.0, registry.get("firstline.ingest.user.reports").counter().count());

        Wire.send(ch, report(1, "r-1"));
        assertEquals(List.of(1L), Wire.acks(Wire.replies(ch)), "a duplicate is acknowledged again, from the ledger");
        assertEquals(1, commits.size(), "and not committed again");
        assertEquals(1.0, registry.get("firstline.ingest.duplicates").counter().count());

        Wire.send(ch, report(3, "r-3"));
        commits.get(1).completeExceptionally(new IllegalStateException("disk full"));
        Wire.acks(Wire.replies(ch));
        assertFalse(ch.isActive(), "a failed commit closes the connection so the agent sends the report again");
        assertEquals(2, fleet.committedThrough("agent-1"), "a report not committed is not in the ledger");
        ch.finishAndReleaseAll();
    }
}

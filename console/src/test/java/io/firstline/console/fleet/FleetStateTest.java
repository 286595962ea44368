package io.firstline.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.proto.HostFacts;
import io.firstline.proto.Hello;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetStateTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-29T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final FleetState fleet = new FleetState(clock, Duration.ofSeconds(30));

    private static Hello hello(long boot) {
        return Hello.newBuilder().setAgentId("a1").setBootEpoch(boot).addCollectors("cpu")
                .setHost(HostFacts.newBuilder().setHostname("host-1")).build();
    }

    private static Sample sample(long ts, double cpu) {
        return Sample.newBuilder().setTimestampMs(ts)
                .addNewSeries(SeriesDef.newBuilder().setId(1).setMetric("cpu.usage_ratio"))
                .addSeries(1).addValues(cpu).build();
    }

    @Test
    void silentForThreeIntervalsShowsOffline() {
        FleetState.Session s = fleet.connect(hello(1), "peer");
        s.sample(1, sample(1000, 0.5));
        AgentSnapshot a = fleet.get("a1").orElseThrow();
        assertEquals(FleetState.Status.ONLINE, fleet.status(a));
        clock.now = clock.now.plusSeconds(30);
        assertEquals(FleetState.Status.ONLINE, fleet.status(fleet.get("a1").orElseThrow()));
        clock.now = clock.now.plusSeconds(1);
        assertEquals(FleetState.Status.OFFLINE, fleet.status(fleet.get("a1").orElseThrow()));
        assertEquals(1, fleet.count(FleetState.Status.OFFLINE));
        s.heard();
        assertEquals(1, fleet.count(FleetState.Status.ONLINE));
    }

    @Test
    void disconnectShowsOfflineButAnOlderSessionCannotOfflineANewerOne() {
        FleetState.Session old = fleet.connect(hello(1), "peer");
        FleetState.Session fresh = fleet.connect(hello(1), "peer2");
        old.closed();
        assertTrue(fleet.get("a1").orElseThrow().connected());
        fresh.closed();
        assertFalse(fleet.get("a1").orElseThrow().connected());
        assertEquals(FleetState.Status.OFFLINE, fleet.status(fleet.get("a1").orElseThrow()));
    }

    @Test
    void duplicatesAreDroppedAndTheNewestSampleShows() {
        FleetState.Session s = fleet.connect(hello(1), "peer");
        assertTrue(s.sample(1, sample(1000, 0.1)));
        assertTrue(s.sample(2, sample(2000, 0.2)));
        assertFalse(s.sample(2, sample(2000, 0.2)));
        assertFalse(s.sample(1, sample(1000, 0.1)));
        assertEquals(0.2, fleet.get("a1").orElseThrow().value("cpu.usage_ratio").orElseThrow());
        // A reconnect in the same boot learns how far the console got.
        assertEquals(2, fleet.connect(hello(1), "peer").ackedAtHello());
    }

    @Test
    void aNewBootStartsSequencesOver() {
        FleetState.Session s = fleet.connect(hello(1), "peer");
        s.sample(5, sample(1000, 0.1));
        FleetState.Session rebooted = fleet.connect(hello(2), "peer");
        assertEquals(0, rebooted.ackedAtHello());
        assertTrue(rebooted.sample(1, sample(3000, 0.3)));
        assertEquals(0.3, fleet.get("a1").orElseThrow().value("cpu.usage_ratio").orElseThrow());
    }

    @Test
    void replayedOlderSampleDoesNotHideNewerValues() {
        FleetState.Session s = fleet.connect(hello(1), "peer");
        s.sample(2, sample(2000, 0.9));
        s.sample(3, sample(1500, 0.1)); // backfill of an older reading, new sequence
        assertEquals(0.9, fleet.get("a1").orElseThrow().value("cpu.usage_ratio").orElseThrow());
    }

    @Test
    void scaledValuesAndSlowCollectorsStayUntilTheirCollectorRunsAgain() {
        Hello h = Hello.newBuilder().setAgentId("a1").setBootEpoch(1).addCollectors("cpu").addCollectors("processes")
                .setHost(HostFacts.newBuilder().setHostname("host-1")).build();
        FleetState.Session s = fleet.connect(h, "peer");
        // Both collectors run: cpu (index 0) sends a ratio with 4 decimals, processes (1) a count and a name.
        s.sample(1, Sample.newBuilder().setTimestampMs(1000)
                .addNewSeries(SeriesDef.newBuilder().setId(1).setMetric("cpu.usage_ratio").setCollector(0).setDecimals(4))
                .addNewSeries(SeriesDef.newBuilder().setId(2).setMetric("processes.count").setCollector(1))
                .addNewSeries(SeriesDef.newBuilder().setId(3).setMetric("process.name").setResource("cpu1").setCollector(1))
                .addScaledSeries(1).addScaled(1235).addScaledSeries(2).addScaled(90)
                .addTexts(io.firstline.proto.TextValue.newBuilder().setSeries(3).setValue("java"))
                .addCollectors(io.firstline.proto.CollectorRun.newBuilder().setCollector(0))
                .addCollectors(io.firstline.proto.CollectorRun.newBuilder().setCollector(1)).build());
        AgentSnapshot a = fleet.get("a1").orElseThrow();
        assertEquals(0.1235, value(a, "cpu.usage_ratio"), 1e-12);
        assertEquals(90, value(a, "processes.count"));
        // Only cpu runs: the process values stay.
        s.sample(2, Sample.newBuilder().setTimestampMs(11_000).addScaledSeries(1).addScaled(5000)
                .addCollectors(io.firstline.proto.CollectorRun.newBuilder().setCollector(0)).build());
        a = fleet.get("a1").orElseThrow();
        assertEquals(0.5, value(a, "cpu.usage_ratio"), 1e-12);
        assertEquals(90, value(a, "processes.count"));
        assertEquals(1, a.texts().size());
        // processes runs again without a name for cpu1 (fewer processes): that text goes.
        s.sample(3, Sample.newBuilder().setTimestampMs(21_000).addScaledSeries(2).addScaled(3)
                .addCollectors(io.firstline.proto.CollectorRun.newBuilder().setCollector(1)).build());
        a = fleet.get("a1").orElseThrow();
        assertEquals(3, value(a, "processes.count"));
        assertEquals(0.5, value(a, "cpu.usage_ratio"), 1e-12);
        assertEquals(0, a.texts().size());
    }

    @Test
    void ruleInputsCarryTheFactsAndOnlyTheWatchedValuesAskedFor() {
        FleetState.Session s = fleet.connect(hello(1), "peer");
        s.sample(1, Sample.newBuilder().setTimestampMs(5000)
                .addNewSeries(SeriesDef.newBuilder().setId(1).setMetric("cpu.usage_ratio"))
                .addNewSeries(SeriesDef.newBuilder().setId(2).setMetric("fs.used_ratio").setResource("/"))
                .addNewSeries(SeriesDef.newBuilder().setId(3).setMetric("fs.used_ratio").setResource("/var"))
                .addSeries(1).addValues(0.5).addSeries(2).addValues(0.7).addSeries(3).addValues(0.9).build());
        fleet.enrolled("a2", "site", clock.now.minusSeconds(60));
        java.util.Map<String, String> seen = new java.util.TreeMap<>();
        boolean[] ask = {false};
        FleetState.RuleVisitor visitor = new FleetState.RuleVisitor() {
            @Override
            public boolean wantsValues(FleetState.RuleInput facts) {
                return ask[0];
            }

            @Override
            public boolean watches(String metric) {
                return metric.equals("fs.used_ratio");
            }

            @Override
            public void visit(FleetState.RuleInput in) {
                StringBuilder b = new StringBuilder(in.here() + " " + in.connected() + " " + in.heard() + " " + in.sampleTimeMs());
                for (int i = 0; i < in.values(); i++) {
                    b.append(' ').append(in.metric(i)).append(in.resource(i)).append('=').append(in.value(i));
                }
                seen.put(in.id(), b.toString());
            }
        };
        fleet.forEachRuleInput(visitor);
        assertEquals("true true 2026-11-29T00:00:00Z 5000", seen.get("a1"), "no values unless asked");
        assertEquals("false false 2026-11-28T23:59:00Z 0", seen.get("a2"), "never connected: heard since it enrolled");
        ask[0] = true;
        fleet.forEachRuleInput(visitor);
        assertEquals("true true 2026-11-29T00:00:00Z 5000 fs.used_ratio/=0.7 fs.used_ratio/var=0.9", seen.get("a1"));
    }

    @Test
    void aSecondsSaveTakesOnlyWhatIsUrgentAndThePeriodicOneEverythingChanged() {
        fleet.enrolled("a0", "site");
        assertEquals(List.of("a0"), ids(fleet.toSave(false)), "an enrollment is saved within a second");
        assertEquals(List.of(), ids(fleet.toSave(false)));
        FleetState.Session s = fleet.connect(hello(1), "peer");
        assertEquals(List.of("a1"), ids(fleet.toSave(false)), "a connect is urgent");
        s.sample(1, sample(1000, 0.5));
        assertEquals(List.of(), ids(fleet.toSave(false)), "a sample alone waits for the periodic save");
        assertEquals(List.of("a1"), ids(fleet.toSave(true)));
        assertEquals(List.of(), ids(fleet.toSave(true)));
        s.closed();
        List<StoredAgent> rows = fleet.toSave(false);
        assertEquals(List.of("a1"), ids(rows), "a disconnect is urgent");
        fleet.saveFailed(rows);
        assertEquals(List.of("a1"), ids(fleet.toSave(false)), "a failed save is taken again on the next pass");
        assertEquals(List.of(), ids(fleet.toSave(false)));
    }

    private static List<String> ids(List<StoredAgent> rows) {
        return rows.stream().map(StoredAgent::id).sorted().toList();
    }

    private static double value(AgentSnapshot a, String metric) {
        return a.values().stream().filter(v -> v.metric().equals(metric)).findFirst().orElseThrow().value();
    }
}

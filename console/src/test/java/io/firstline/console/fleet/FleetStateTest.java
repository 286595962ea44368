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
}

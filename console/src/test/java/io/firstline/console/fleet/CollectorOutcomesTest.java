package io.firstline.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.firstline.proto.CollectorRun;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Sample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Collectors on slower schedules, and unsupported ones, report in few
 * samples; the console keeps every collector's latest outcome, not only the
 * last sample's, so an engineer can tell that failed-service detection is off.
 */
class CollectorOutcomesTest {
    private final FleetState fleet = new FleetState(Clock.systemUTC(), Duration.ofSeconds(30));

    private static Hello hello(long boot, String... collectors) {
        return Hello.newBuilder().setAgentId("a1").setBootEpoch(boot).addAllCollectors(List.of(collectors))
                .setHost(HostFacts.newBuilder().setHostname("host-1")).build();
    }

    private static CollectorRun run(int collector, CollectorRun.Outcome outcome, int micros, String error) {
        return CollectorRun.newBuilder().setCollector(collector).setOutcome(outcome).setDurationMicros(micros).setError(error).build();
    }

    private static Sample sample(long ts, CollectorRun... runs) {
        return Sample.newBuilder().setTimestampMs(ts).addAllCollectors(List.of(runs)).build();
    }

    private List<String> outcomes() {
        return fleet.get("a1").orElseThrow().collectors().stream()
                .map(r -> r.name() + "=" + r.outcome().toLowerCase() + (r.error().isEmpty() ? "" : "(" + r.error() + ")")
                        + "@" + r.at().toEpochMilli()).toList();
    }

    @Test
    void everyCollectorKeepsItsLatestOutcomeUntilItRunsAgain() {
        FleetState.Session s = fleet.connect(hello(1, "cpu", "sensors", "services", "inventory"), "peer");
        // The first sample of a boot: every collector runs; sensors and services are unsupported here.
        s.sample(1, sample(1_000, run(0, CollectorRun.Outcome.OK, 800, ""),
                run(1, CollectorRun.Outcome.UNSUPPORTED, 0, "no sensors"),
                run(2, CollectorRun.Outcome.UNSUPPORTED, 0, "systemd is not running"),
                run(3, CollectorRun.Outcome.OK, 90_000, "")));
        // Later samples carry only the cheap collector.
        s.sample(2, sample(11_000, run(0, CollectorRun.Outcome.OK, 700, "")));
        s.sample(3, sample(21_000, run(0, CollectorRun.Outcome.FAILED, 650, "boom")));

        assertEquals(List.of("cpu=failed(boom)@21000", "sensors=unsupported(no sensors)@1000",
                "services=unsupported(systemd is not running)@1000", "inventory=ok@1000"), outcomes());

        // A slow collector's next run replaces its own outcome only.
        s.sample(4, sample(31_000, run(3, CollectorRun.Outcome.FAILED, 1_000, "timeout")));
        assertEquals(List.of("cpu=failed(boom)@21000", "sensors=unsupported(no sensors)@1000",
                "services=unsupported(systemd is not running)@1000", "inventory=failed(timeout)@31000"), outcomes());

        // An older sample replayed from the spool does not overwrite newer outcomes.
        s.sample(5, sample(5_000, run(0, CollectorRun.Outcome.OK, 1, "")));
        assertEquals("cpu=failed(boom)@21000", outcomes().get(0));
    }

    @Test
    void aNewBootStartsOverBecauseCollectorNumbersArePerBoot() {
        FleetState.Session s = fleet.connect(hello(1, "cpu", "services"), "peer");
        s.sample(1, sample(1_000, run(0, CollectorRun.Outcome.OK, 1, ""), run(1, CollectorRun.Outcome.UNSUPPORTED, 0, "no systemd")));
        s.closed();
        FleetState.Session again = fleet.connect(hello(2, "services", "cpu"), "peer");
        again.sample(1, sample(2_000, run(1, CollectorRun.Outcome.OK, 5, "")));
        assertEquals(List.of("cpu=ok@2000"), outcomes());
        assertEquals(Instant.ofEpochMilli(2_000), fleet.get("a1").orElseThrow().collectors().get(0).at());
    }
}

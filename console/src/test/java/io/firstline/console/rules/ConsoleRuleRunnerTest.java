package io.firstline.console.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.MutableClock;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Hello;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.rules.Transition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's own rules over the live fleet state, with a clock the test moves. */
class ConsoleRuleRunnerTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final List<String> seen = new ArrayList<>();

    private ConsoleRuleRunner runner(FleetState fleet, List<String[]> heldRaised) throws Exception {
        return runner(fleet, heldRaised, () -> true);
    }

    private ConsoleRuleRunner runner(FleetState fleet, List<String[]> heldRaised, java.util.function.BooleanSupplier leader)
            throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - id: disk_fill_within_24h
                    kind: trend
                    metric: fs.free_bytes
                    condition: "< 0"
                    horizon: 24h
                    window: 6h
                    for: 0s
                    severity: warning
                    title: t
                    description: d
                    user_text: u
                  - id: agent_offline
                    kind: console
                    metric: agent.silent_intervals
                    condition: ">= 3"
                    for: 0s
                    recover: { threshold: 1, for: 0s }
                    severity: critical
                    title: t
                    description: d
                    user_text: u
                """);
        RulesService rules = RulesService.open(dir, clock, new SimpleMeterRegistry());
        return new ConsoleRuleRunner(fleet, rules, clock, Duration.ofSeconds(10), id -> heldRaised,
                (agent, t) -> seen.add(agent + " " + t.rule().id() + " " + t.resource() + " "
                        + (t.type() == Transition.Type.RAISED ? "raised" : "cleared")), leader);
    }

    private static Hello hello() {
        return Hello.newBuilder().setAgentId("pc-1").setBootEpoch(1).setHost(HostFacts.newBuilder().setHostname("pc")).build();
    }

    private void sample(FleetState.Session s, long seq, double freeBytes) {
        s.sample(seq, Sample.newBuilder().setTimestampMs(clock.millis())
                .addNewSeries(SeriesDef.newBuilder().setId(1).setMetric("fs.free_bytes").setResource("/data"))
                .addSeries(1).addValues(freeBytes).build());
    }

    @Test
    void trendRaisesBeforeTheDiskIsFullAndSilenceRaisesAgentOffline() throws Exception {
        FleetState fleet = new FleetState(clock, Duration.ofSeconds(30));
        ConsoleRuleRunner runner = runner(fleet, List.of());
        FleetState.Session s = fleet.connect(hello(), "test");
        double free = 60e9;
        for (int i = 1; i <= 40 && seen.isEmpty(); i++) {
            sample(s, i, free);
            runner.evaluate();
            free -= 1.5e9; // 9 GB an hour: full in under 7 h
            clock.advance(Duration.ofMinutes(10));
            s.heard();
        }
        assertEquals(List.of("pc-1 disk_fill_within_24h /data raised"), seen);
        assertTrue(free > 40e9, "raised with plenty of space left: " + free);

        seen.clear();
        clock.advance(Duration.ofSeconds(29));
        runner.evaluate();
        assertEquals(List.of(), seen);
        clock.advance(Duration.ofSeconds(2));
        runner.evaluate();
        assertEquals(List.of("pc-1 agent_offline  raised"), seen);
        s.heard();
        runner.evaluate();
        assertEquals("pc-1 agent_offline  cleared", seen.get(1));
    }

    @Test
    void aFaultTheStoreHoldsRaisedIsAdoptedNotRaisedAgain() throws Exception {
        FleetState fleet = new FleetState(clock, Duration.ofSeconds(30));
        ConsoleRuleRunner runner = runner(fleet, List.<String[]>of(new String[] {"agent_offline", ""}));
        FleetState.Session s = fleet.connect(hello(), "test");
        s.closed();
        clock.advance(Duration.ofMinutes(5));
        runner.evaluate();
        assertEquals(List.of(), seen, "still offline: no second raise after a console restart");
        FleetState.Session back = fleet.connect(hello(), "test");
        back.heard();
        runner.evaluate();
        assertEquals(List.of("pc-1 agent_offline  cleared"), seen);
    }

    @Test
    void withSeveralNodesSilenceIsTheLeaseHoldersAndAnAgentHeardOnAnotherNodeIsNotSilent() throws Exception {
        FleetState fleet = new FleetState(clock, Duration.ofSeconds(30));
        java.util.concurrent.atomic.AtomicBoolean lead = new java.util.concurrent.atomic.AtomicBoolean(false);
        ConsoleRuleRunner runner = runner(fleet, List.of(), lead::get);
        fleet.enrolled("pc-1", "", clock.instant());
        clock.advance(Duration.ofMinutes(5));
        runner.evaluate();
        assertEquals(List.of(), seen, "without the lease this node leaves heartbeat loss to the holder");

        // Connected to node B, heard there a second ago: the holder does not take it for silent.
        fleet.remote(new io.firstline.console.fleet.Presence("pc-1", "node-b", true, clock.millis(),
                clock.instant().minusSeconds(600), clock.instant().minusSeconds(1), hello(), "", Float.NaN, Float.NaN, Float.NaN, "", java.util.Map.of()), true);
        lead.set(true);
        runner.evaluate();
        assertEquals(List.of(), seen);
        // Node B died: nothing heard since; after three intervals it is silent, raised once.
        fleet.nodesAlive(java.util.Set.of());
        clock.advance(Duration.ofSeconds(31));
        runner.evaluate();
        runner.evaluate();
        assertEquals(List.of("pc-1 agent_offline  raised"), seen);
    }

    /**
     * A pass reads the agents that changed and those whose deadline came, not the whole fleet (at 10,000 agents
     * sampling every 10 s, a thousand a second instead of ten thousand), and still raises silence in the same pass
     * as a visit of everyone would: the first pass at or after three intervals of silence.
     */
    @Test
    void aPassVisitsTheChangedAndTheDueAgentsAndSilenceStillRaisesOnTime() throws Exception {
        FleetState fleet = new FleetState(clock, Duration.ofSeconds(30));
        ConsoleRuleRunner runner = runner(fleet, List.of());
        List<FleetState.Session> sessions = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Hello h = hello().toBuilder().setAgentId("pc-" + i).build();
            FleetState.Session s = fleet.connect(h, "test");
            s.heard();
            sessions.add(s);
        }
        runner.evaluate();
        assertEquals(100, runner.visits(), "the first pass reads the whole fleet");

        clock.advance(Duration.ofSeconds(1));
        sessions.get(7).heard();
        long before = runner.visits();
        runner.evaluate();
        assertEquals(1, runner.visits() - before, "only the agent heard since the last pass");

        // Silent from here on except pc-7, heard a second later. The rule raises at 3 intervals (30 s) and recovers
        // below 1: until 10 s of silence a value changes nothing, from then on each is observed (as every pass did).
        before = runner.visits();
        for (int second = 2; second < 10; second++) {
            clock.advance(Duration.ofSeconds(1));
            runner.evaluate();
        }
        assertEquals(0, runner.visits() - before, "nobody changed and nobody is due before 10 s of silence");
        clock.advance(Duration.ofSeconds(1));
        runner.evaluate();
        assertEquals(99, runner.visits() - before, "10 s after they were last heard, the 99 are due");
        for (int second = 11; second < 30; second++) {
            clock.advance(Duration.ofSeconds(1));
            runner.evaluate();
        }
        assertEquals(List.of(), seen);
        clock.advance(Duration.ofSeconds(1)); // 30 s after the 99 were last heard
        runner.evaluate();
        assertEquals(99, seen.size(), seen.toString());
        assertTrue(seen.stream().noneMatch(t -> t.startsWith("pc-7 ")), seen.toString());
        clock.advance(Duration.ofSeconds(1));
        runner.evaluate();
        assertEquals(100, seen.size(), "pc-7 a second later: " + seen);
        assertTrue(seen.get(99).equals("pc-7 agent_offline  raised"), seen.toString());

        // Raised and still silent, nothing changes until an agent is heard again: no visits (10,000 machines
        // switched off for the night cost nothing a second); one heard again clears at once.
        before = runner.visits();
        for (int second = 0; second < 60; second++) {
            clock.advance(Duration.ofSeconds(1));
            runner.evaluate();
        }
        assertEquals(0, runner.visits() - before);
        sessions.get(3).heard();
        runner.evaluate();
        assertEquals(List.of("pc-3 agent_offline  cleared"), seen.subList(100, seen.size()));
        assertEquals(1, runner.visits() - before);
    }

    /** A fault held for a while ("for:") fires when its hold ends, though nothing about the agent changes meanwhile. */
    @Test
    void aHoldEndsOnTimeWithoutAChange() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - id: agent_offline
                    kind: console
                    metric: agent.silent_intervals
                    condition: "> 2"
                    for: 15s
                    severity: critical
                    title: t
                    description: d
                    user_text: u
                """);
        RulesService rules = RulesService.open(dir, clock, new SimpleMeterRegistry());
        FleetState fleet = new FleetState(clock, Duration.ofSeconds(30));
        ConsoleRuleRunner runner = new ConsoleRuleRunner(fleet, rules, clock, Duration.ofSeconds(10), id -> List.of(),
                (agent, t) -> seen.add(agent + " " + t.rule().id() + " " + t.type() + " " + clock.millis() / 1000));
        long start = clock.millis() / 1000;
        fleet.connect(hello(), "test").heard();
        for (int second = 0; second <= 40; second++) {
            runner.evaluate();
            clock.advance(Duration.ofSeconds(1));
        }
        // Silent over 2 intervals from 21 s (pending), held 15 s: raised at 36 s.
        assertEquals(List.of("pc-1 agent_offline RAISED " + (start + 36)), seen);
    }
}

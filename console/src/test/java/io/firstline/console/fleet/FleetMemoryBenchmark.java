package io.firstline.console.fleet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Heap per agent in the fleet state with a full hour of charted history
 * (docs/benchmarks.md, "Web console: memory per agent"). Not part of the
 * normal test run; run with
 * {@code ./mvnw -B -pl console -am test -Dtest=FleetMemoryBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FleetMemoryBenchmark {
    private static final int AGENTS = 5_000;

    private static long usedHeap() {
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void heapPerAgentWithAFullHourOfHistory() {
        SplittableRandom random = new SplittableRandom(1);
        List<FleetState> keep = new ArrayList<>();
        long before = usedHeap();
        FleetState fleet = new FleetState(Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(5));
        keep.add(fleet);
        long start = System.currentTimeMillis() - 3_600_000;
        List<FleetState.Session> sessions = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            FleetState.Session s = fleet.connect(SimulatedAgents.hello(i), "10.0.0.1:1234");
            s.site(SimulatedAgents.site(i));
            s.inventory(1, SimulatedAgents.inventory(i));
            sessions.add(s);
        }
        // One hour at a 5 s interval: 720 samples per agent, every history slot filled.
        for (int step = 0; step < 720; step++) {
            for (int i = 0; i < AGENTS; i++) {
                sessions.get(i).sample(step + 2, SimulatedAgents.sample(start + step * 5_000L, step == 0, random));
            }
        }
        long after = usedHeap();
        long perAgent = (after - before) / AGENTS;
        HistoryView h = fleet.history(SimulatedAgents.id(0)).orElseThrow();
        System.out.printf("fleet state: %d agents, %d values each, %d history slots each: %d bytes of heap per agent%n",
                AGENTS, SimulatedAgents.seriesCount(), h.times().length, perAgent);
        assertTrue(h.times().length >= 700, "history slots " + h.times().length);
        assertTrue(perAgent <= 64 * 1024, perAgent + " bytes per agent is over the 64 KiB budget");
        keep.clear();
    }
}

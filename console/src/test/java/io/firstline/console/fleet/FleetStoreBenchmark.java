package io.firstline.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.firstline.console.store.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeping the fleet durable costs (docs/benchmarks.md, "Fleet
 * persistence"): the one-transaction saves of {@link FleetPersistence} for
 * 10,000 agents, on SQLite with {@code synchronous=FULL}, and the load at
 * start. Not part of the normal test run; run with
 * {@code ./mvnw -B -pl console -am test -Dtest=FleetStoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FleetStoreBenchmark {
    private static final int AGENTS = 10_000;

    @TempDir
    Path dir;

    @Test
    void savesAndLoadOfTenThousandAgents() {
        SplittableRandom random = new SplittableRandom(1);
        FleetState fleet = new FleetState(Clock.systemUTC(), Duration.ofSeconds(30));
        List<FleetState.Session> sessions = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            FleetState.Session s = fleet.connect(SimulatedAgents.hello(i), "10.0.0.1:1234");
            s.site(SimulatedAgents.site(i));
            s.inventory(1, SimulatedAgents.inventory(i));
            sessions.add(s);
        }
        try (SqliteStore sqlite = SqliteStore.open(dir)) {
            FleetStore store = new FleetStore(sqlite);
            long t0 = System.nanoTime();
            List<StoredAgent> connected = fleet.toSave(false);
            store.save(connected, 0);
            long t1 = System.nanoTime();
            for (int i = 0; i < AGENTS; i++) {
                sessions.get(i).sample(2, SimulatedAgents.sample(System.currentTimeMillis(), true, random));
            }
            long t2 = System.nanoTime();
            List<StoredAgent> periodic = fleet.toSave(true);
            store.save(periodic, 0);
            long t3 = System.nanoTime();
            List<StoredAgent> loaded = store.load();
            long t4 = System.nanoTime();
            assertEquals(AGENTS, connected.size());
            assertEquals(AGENTS, periodic.size());
            assertEquals(AGENTS, loaded.size());
            System.out.printf("fleet store: %d agents; save after connect (Hello + inventory) %d ms; periodic save (last seen"
                    + " and values) %d ms; load at start %d ms%n", AGENTS, (t1 - t0) / 1_000_000, (t3 - t2) / 1_000_000,
                    (t4 - t3) / 1_000_000);
        }
    }
}

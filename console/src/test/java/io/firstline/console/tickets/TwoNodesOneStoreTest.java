package io.firstline.console.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.firstline.console.MutableClock;
import io.firstline.console.notify.NotificationOutbox;
import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import io.firstline.console.store.StoreKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two console nodes (two stores, two ticket services) on one database raise
 * the same faults at the same moment, as when an agent's replay reaches a
 * second node while the first still commits: each fault makes exactly one
 * live ticket, and its clear resolves that one.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class TwoNodesOneStoreTest {
    @Parameter
    StoreKind storeKind;
    @TempDir
    Path dir;

    private static TicketService node(Store store, MutableClock clock) {
        AgentDirectory directory = id -> new AgentDirectory.AgentFacts("host-" + id, "", "Linux", Set.of());
        return new TicketService(store, clock, TicketPolicy.defaults(), directory,
                id -> id.equals(TicketServiceTest.DISK.id()) ? Optional.of(TicketServiceTest.DISK) : Optional.empty(),
                new NotificationOutbox(List.of()), new TicketMetrics(new SimpleMeterRegistry()));
    }

    private static FaultEvent event(MutableClock clock, String resource, boolean active, long sequence) {
        return new FaultEvent(new FaultKey("a1", TicketServiceTest.DISK.id(), resource), active, "fs.used_ratio", active ? 0.95 : 0.5,
                0.9, clock.instant().minusSeconds(60), clock.instant(), active ? "" : "recovered", 7, sequence);
    }

    @Test
    void concurrentRaisesThroughBothNodesMakeOneTicketPerFault() throws Exception {
        MutableClock clock = new MutableClock();
        int faults = 20;
        try (Store one = storeKind.open(dir); Store two = storeKind.open(dir)) {
            TicketService[] nodes = {node(one, clock), node(two, clock)};
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> done = new ArrayList<>();
                for (int n = 0; n < 2; n++) {
                    TicketService node = nodes[n];
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < faults; i++) {
                            together.await();
                            node.apply(event(clock, "/disk" + i, true, i + 1)); // the same event through both nodes
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(faults, (long) one.read(c -> Sql.one(c, "SELECT COUNT(*) FROM tickets", rs -> rs.getLong(1)).orElseThrow()));
            assertEquals(faults, (long) two.read(c -> Sql.one(c,
                    "SELECT COUNT(DISTINCT fault_key) FROM tickets WHERE state IN ('open', 'acknowledged')", rs -> rs.getLong(1)).orElseThrow()));
            nodes[1].apply(event(clock, "/disk0", false, 1000));
            assertEquals(faults - 1, (long) one.read(c -> Sql.one(c,
                    "SELECT COUNT(*) FROM tickets WHERE state IN ('open', 'acknowledged')", rs -> rs.getLong(1)).orElseThrow()));
        }
    }
}

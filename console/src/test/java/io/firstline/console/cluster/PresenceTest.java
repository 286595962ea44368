package io.firstline.console.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.MutableClock;
import io.firstline.console.fleet.AgentSnapshot;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.ingest.Handover;
import io.firstline.console.store.LosableStore;
import io.firstline.console.store.Store;
import io.firstline.console.store.StoreKind;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two nodes' fleets on one store, through the shared presence: each shows the
 * other's agents within a pass, a dead node's agents go offline, and an agent
 * that moves takes its sequence ledger along (nothing applied twice).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class PresenceTest {
    private static final Duration OFFLINE_AFTER = Duration.ofSeconds(30);

    @Parameter
    StoreKind storeKind;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private Store store;
    private final FleetState fleetA = new FleetState(clock, OFFLINE_AFTER);
    private final FleetState fleetB = new FleetState(clock, OFFLINE_AFTER);
    private final List<String> closedOnA = new CopyOnWriteArrayList<>();
    private PresenceSync a;
    private PresenceSync b;

    @BeforeEach
    void twoNodes() {
        store = storeKind.open(dir);
        ClusterMembership.join(store, "node-a", "ca", "test", "a:7443", "a:8080", clock);
        ClusterMembership.join(store, "node-b", "ca", "test", "b:7443", "b:8080", clock);
        a = PresenceSync.start(new PresenceStore(store), fleetA, "node-a", clock, closedOnA::add);
        b = PresenceSync.start(new PresenceStore(store), fleetB, "node-b", clock, id -> { });
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        store.close();
    }

    private static Hello hello(long boot) {
        return Hello.newBuilder().setAgentId("agent-1").setBootEpoch(boot).addCollectors("cpu")
                .setHost(HostFacts.newBuilder().setHostname("host-1").setOsFamily("Debian")).build();
    }

    private static Sample sample(long ts, double cpu) {
        return Sample.newBuilder().setTimestampMs(ts).addNewSeries(SeriesDef.newBuilder().setId(1).setMetric("cpu.usage_ratio"))
                .addSeries(1).addValues(cpu).build();
    }

    private static FleetState.Session connect(PresenceSync node, FleetState fleet, Hello h) throws Exception {
        Map<Long, Long> settled = node.claim(h).get(10, TimeUnit.SECONDS);
        return fleet.connect(h, "peer", settled);
    }

    @Test
    void eachNodeShowsTheAgentsOfTheOtherWithinAPass() throws Exception {
        FleetState.Session s = connect(a, fleetA, hello(7));
        s.sample(1, sample(clock.millis(), 0.42));
        a.pass();
        b.pass();
        AgentSnapshot seen = fleetB.get("agent-1").orElseThrow();
        assertTrue(seen.connected(), "online on B while connected to A");
        assertEquals("node-a", seen.node());
        assertEquals("host-1", seen.host().getHostname(), "B fetched the Hello of A's connection");
        assertEquals(0.42, seen.value("cpu.usage_ratio").orElseThrow(), 1e-6);
        assertEquals(FleetState.Status.ONLINE, fleetB.status(seen));
        assertEquals(0, fleetB.connected(), "connected to A, not to B");
        assertEquals("", fleetA.get("agent-1").orElseThrow().node(), "A's own agent");

        s.closed();
        a.released("agent-1");
        a.pass();
        b.pass();
        assertFalse(fleetB.summary("agent-1").orElseThrow().online(), "a disconnect on A shows on B");
    }

    @Test
    void theAgentsOfANodeThatStoppedSayingItIsAliveShowOffline() throws Exception {
        connect(a, fleetA, hello(7)).heard();
        a.pass();
        b.pass();
        assertTrue(fleetB.summary("agent-1").orElseThrow().online());
        a.close(); // A stops (as if killed): no more heartbeats
        clock.advance(PresenceSync.NODE_DEAD_AFTER.plusSeconds(1));
        b.pass();
        assertFalse(fleetB.summary("agent-1").orElseThrow().online(), "A is dead: its agent is offline until it reconnects");
        assertEquals("", fleetB.get("agent-1").orElseThrow().node());
    }

    @Test
    void anAgentThatMovesKeepsItsLedgerSoNothingIsAppliedTwice() throws Exception {
        FleetState.Session onA = connect(a, fleetA, hello(7));
        for (long seq = 1; seq <= 5; seq++) {
            assertTrue(onA.sample(seq, sample(clock.millis(), 0.1)));
        }
        onA.closed();
        a.released("agent-1");
        a.pass();

        FleetState.Session onB = connect(b, fleetB, hello(7));
        assertEquals(5, onB.ackedAtHello(), "the Welcome acknowledges what A applied");
        assertFalse(onB.sample(3, sample(clock.millis(), 0.1)), "a replay of what A applied is a duplicate on B");
        assertTrue(onB.sample(6, sample(clock.millis(), 0.1)));
        b.pass();
        assertEquals(Map.of(7L, 6L), new PresenceStore(store).ledger("agent-1"));
    }

    @Test
    void aClaimWaitsForTheLiveHolderToReleaseAndTakesItsLastLedger() throws Exception {
        FleetState.Session onA = connect(a, fleetA, hello(7));
        a.pass();
        CompletableFuture<Map<Long, Long>> claim = b.claim(hello(7));
        Thread.sleep(300);
        assertFalse(claim.isDone(), "A is alive and still holds the agent: B waits for its release");
        onA.sample(1, sample(clock.millis(), 0.1));
        onA.closed();
        a.released("agent-1");
        assertEquals(Map.of(7L, 1L), claim.get(10, TimeUnit.SECONDS), "released with A's last ledger");
    }

    @Test
    void aHolderThatNeverReleasesIsOverriddenAndClosesItsStaleConnection() throws Exception {
        connect(a, fleetA, hello(7));
        a.pass();
        CompletableFuture<Map<Long, Long>> claim = b.claim(hello(7));
        Thread.sleep(300);
        assertFalse(claim.isDone());
        clock.advance(PresenceSync.HANDOVER_WAIT); // A's connection is half-open: it never releases
        fleetB.connect(hello(7), "peer", claim.get(10, TimeUnit.SECONDS));
        a.pass();
        assertEquals(List.of("agent-1"), closedOnA, "A read B's newer claim and closed its own connection");
    }

    @Test
    void aClaimWhileTheStoreIsUnavailableIsRefusedAtOnceWithTheReason() throws Exception {
        // A lost database as the pool meets it: every call waits out the connection timeout, then fails.
        LosableStore losing = new LosableStore(store);
        FleetState fleetC = new FleetState(clock, OFFLINE_AFTER);
        ClusterMembership.join(store, "node-c", "ca", "test", "c:7443", "c:8080", clock);
        PresenceSync c = PresenceSync.start(new PresenceStore(losing), fleetC, "node-c", clock, id -> { });
        try {
            losing.lose();
            c.released("agent-0"); // a pass now waits on the lost store; the claim must not queue behind it
            long started = System.nanoTime();
            CompletableFuture<Map<Long, Long>> claim = c.claim(hello(7));
            assertTrue(claim.isCompletedExceptionally(), "refused at once, not after the store's timeouts");
            ExecutionException e = assertThrows(ExecutionException.class, () -> claim.get(1, TimeUnit.SECONDS));
            assertInstanceOf(Handover.Refused.class, e.getCause());
            assertEquals("this console node cannot reach its store (the test store), so it cannot take agent agent-1 now;"
                    + " try another node", e.getCause().getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 500);

            losing.restore();
            assertEquals(Map.of(), c.claim(hello(7)).get(10, TimeUnit.SECONDS), "claimed again once the store is back");
        } finally {
            c.close();
        }
    }
}

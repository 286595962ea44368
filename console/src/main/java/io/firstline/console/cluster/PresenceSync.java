package io.firstline.console.cluster;

import io.firstline.console.fleet.AgentSnapshot;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.fleet.Presence;
import io.firstline.console.ingest.Handover;
import io.firstline.proto.Hello;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every node show the whole fleet (several console nodes on one
 * store; docs/architecture.md, "Several nodes"). On one thread, twice a
 * second ({@link #PASS}): says this node is alive, writes in one batch the presence rows of
 * its agents that connected, disconnected or changed (with their sequence
 * ledgers), reads what other nodes wrote since its last read, and shows the
 * agents of nodes that stopped saying they are alive as offline. A
 * disconnect is written at once. Per-sample data never goes through the
 * store: a row carries the few facts a fleet row shows.
 *
 * <p>As the agent link's {@link Handover}, it claims an agent's connection
 * before the Welcome: while another node that is alive still holds it, the
 * claim waits (up to {@link #HANDOVER_WAIT}) for that node to release it and
 * store its last ledger, then starts this node's ledger from the stored one.
 * While the store is unavailable, a claim is refused at once
 * ({@link Handover.Refused}): the agent is told why and tries its next
 * console address, instead of waiting on a store that does not answer.
 */
public final class PresenceSync implements Handover, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PresenceSync.class);
    /** How often a node writes and reads presence, and says it is alive. */
    public static final Duration PASS = Duration.ofMillis(500);
    /** A node not heard from for this long is taken for dead: its agents show offline until they reconnect. */
    public static final Duration NODE_DEAD_AFTER = Duration.ofSeconds(5);
    /** How long a claim waits for another live node to release the agent before taking it anyway. */
    public static final Duration HANDOVER_WAIT = Duration.ofSeconds(3);
    private static final long CLAIM_RETRY_MS = 100;

    private final PresenceStore store;
    private final FleetState fleet;
    private final String nodeId;
    private final Clock clock;
    private final Consumer<String> closeHere;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private long revision;
    private boolean failing;

    private PresenceSync(PresenceStore store, FleetState fleet, String nodeId, Clock clock, Consumer<String> closeHere) {
        this.store = store;
        this.fleet = fleet;
        this.nodeId = nodeId;
        this.clock = clock;
        this.closeHere = closeHere;
        this.thread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("firstline-presence", true));
    }

    /**
     * Releases what the store still lists as connected to this node from
     * before its start, reads every other node's agents, and starts the passes.
     *
     * @param closeHere closes this node's connection of an agent that another node claimed since
     */
    public static PresenceSync start(PresenceStore store, FleetState fleet, String nodeId, Clock clock, Consumer<String> closeHere) {
        int stale = store.releaseAll(nodeId);
        if (stale > 0) {
            log.info("presence: {} agents were still listed as connected here from before this start; released", stale);
        }
        PresenceSync s = new PresenceSync(store, fleet, nodeId, clock, closeHere);
        s.pass();
        s.thread.scheduleWithFixedDelay(s::pass, PASS.toMillis(), PASS.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /** One pass: write, then read. Runs on the presence thread (and once at start). */
    synchronized void pass() {
        try {
            write();
            read();
            if (failing) {
                log.info("presence: the shared store answers again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("presence: the shared store failed ({}); other nodes' agents keep their last state, retrying",
                        e.toString());
                failing = true;
            }
        }
    }

    private void write() {
        List<Presence> rows = fleet.presenceToWrite(nodeId);
        try {
            store.write(nodeId, rows, clock.millis());
            fleet.presenceWritten(rows);
        } catch (RuntimeException e) {
            fleet.presenceFailed(rows);
            throw e;
        }
    }

    private void read() {
        Set<String> alive = store.aliveNodes(clock.millis() - NODE_DEAD_AFTER.toMillis());
        alive.add(nodeId);
        PresenceStore.Changes changes = store.since(revision, nodeId);
        // The Hellos of new connections first, so that an agent never shows online without its host facts.
        List<String> wantHello = new ArrayList<>();
        for (Presence p : changes.rows()) {
            if (fleet.wantsHello(p)) {
                wantHello.add(p.agentId());
            }
        }
        Map<String, Hello> hellos = store.hellos(wantHello);
        for (Presence p : changes.rows()) {
            if (p.connected() && fleet.connectedHere(p.agentId())) {
                // Another node claimed it after this one did: the agent is there now, and this connection is a stale one.
                log.info("agent {} is connected to node {} now; closing its older connection here", p.agentId(), p.nodeId());
                closeHere.accept(p.agentId());
            } else {
                fleet.remote(p.withHello(hellos.get(p.agentId())), alive.contains(p.nodeId()));
            }
        }
        fleet.nodesAlive(alive);
        revision = changes.revision();
    }

    @Override
    public CompletableFuture<Map<Long, Long>> claim(Hello hello) {
        if (!store.available()) {
            return CompletableFuture.failedFuture(unavailable(hello));
        }
        CompletableFuture<Map<Long, Long>> done = new CompletableFuture<>();
        Optional<AgentSnapshot> known = fleet.get(hello.getAgentId());
        String site = known.map(AgentSnapshot::site).orElse("");
        long now = clock.millis();
        long knownSince = known.map(AgentSnapshot::knownSince).filter(t -> t != null).map(t -> t.toEpochMilli()).orElse(now);
        long deadline = now + HANDOVER_WAIT.toMillis();
        thread.execute(() -> tryClaim(hello, site, knownSince, deadline, done));
        return done;
    }

    private Handover.Refused unavailable(Hello hello) {
        return Handover.Refused.storeUnavailable(store.describe(), hello.getAgentId());
    }

    private void tryClaim(Hello hello, String site, long knownSince, long deadline, CompletableFuture<Map<Long, Long>> done) {
        if (!store.available()) {
            // Lost while the claim waited for another node's release.
            done.completeExceptionally(unavailable(hello));
            return;
        }
        try {
            long now = clock.millis();
            boolean force = now >= deadline;
            Optional<Map<Long, Long>> ledger = store.claim(nodeId, hello, site, knownSince, now, now - NODE_DEAD_AFTER.toMillis(),
                    force);
            if (ledger.isPresent()) {
                if (force) {
                    log.warn("agent {} is still listed as connected to another node that is alive; taken over after {} s",
                            hello.getAgentId(), HANDOVER_WAIT.toSeconds());
                }
                done.complete(ledger.get());
            } else {
                thread.schedule(() -> tryClaim(hello, site, knownSince, deadline, done), CLAIM_RETRY_MS, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    /** Writes the release (and the agent's last ledger) at once, not at the next pass. */
    @Override
    public void released(String agentId) {
        if (flushQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    flushQueued.set(false);
                    pass();
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                flushQueued.set(false);
            }
        }
    }

    /** Stops the passes and writes this node's last changes (its agents disconnected). Call after the agent server closed. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            write();
        } catch (RuntimeException e) {
            log.warn("presence: could not write this node's last changes: {}", e.toString());
        }
    }
}

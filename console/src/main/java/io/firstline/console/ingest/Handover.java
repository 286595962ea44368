package io.firstline.console.ingest;

import io.firstline.proto.Hello;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where an agent's connection is claimed for this node before its Welcome
 * and released when it ends: with several console nodes on one store, the
 * shared presence (docs/architecture.md, "Several nodes"). On one node,
 * {@link #NONE}: nothing to claim, nothing stored.
 */
public interface Handover {
    /**
     * Claims the agent's connection for this node. Completes (on any thread)
     * with the agent's sequence ledger as the store holds it (per boot epoch,
     * settled through), so that what another node applied is acknowledged
     * again and not applied twice; fails when the store cannot be reached
     * (the connection is then closed and the agent tries again), at once with
     * {@link Refused} when the store is known to be unavailable (the agent is
     * told why, and tries the next console address without waiting).
     */
    CompletableFuture<Map<Long, Long>> claim(Hello hello);

    /** A claim this node refuses at once, with the reason the agent is sent. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }

        /** The refusal of a node whose store ({@code store}, as it describes itself) is unavailable. */
        public static Refused storeUnavailable(String store, String agentId) {
            return new Refused("this console node cannot reach its store (" + store + "), so it cannot take agent " + agentId
                    + " now; try another node");
        }
    }

    /** The agent's connection to this node ended. */
    void released(String agentId);

    Handover NONE = new Handover() {
        @Override
        public CompletableFuture<Map<Long, Long>> claim(Hello hello) {
            return CompletableFuture.completedFuture(Map.of());
        }

        @Override
        public void released(String agentId) {
        }
    };
}

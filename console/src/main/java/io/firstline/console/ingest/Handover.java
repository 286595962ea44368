package io.firstline.console.ingest;

import io.firstline.proto.Hello;
import io.firstline.proto.Refuse;
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

    /** A claim this node refuses at once, with the reason and the time to come back the agent is sent. */
    final class Refused extends RuntimeException {
        /**
         * A node without its store asks agents to come back after 5 s plus up to 25 s: its other nodes take
         * them meanwhile, and an outage of the one shared database does not bring the fleet back every second.
         */
        static final long STORE_RETRY_AFTER_MS = 5_000;
        static final long STORE_RETRY_SPREAD_MS = 25_000;

        private final Refuse.Reason reason;
        private final long retryAfterMs;
        private final long retrySpreadMs;

        private Refused(Refuse.Reason reason, String message, long retryAfterMs, long retrySpreadMs) {
            super(message);
            this.reason = reason;
            this.retryAfterMs = retryAfterMs;
            this.retrySpreadMs = retrySpreadMs;
        }

        /** The refusal of a node whose store ({@code store}, as it describes itself) is unavailable. */
        public static Refused storeUnavailable(String store, String agentId) {
            return new Refused(Refuse.Reason.STORE_UNAVAILABLE, "this console node cannot reach its store (" + store
                    + "), so it cannot take agent " + agentId + " now; try another node", STORE_RETRY_AFTER_MS, STORE_RETRY_SPREAD_MS);
        }

        /** The Refuse the agent is sent. */
        Refuse.Builder refusal() {
            return Refuse.newBuilder().setReason(reason).setMessage(getMessage()).setRetryAfterMs((int) retryAfterMs)
                    .setRetrySpreadMs((int) retrySpreadMs);
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

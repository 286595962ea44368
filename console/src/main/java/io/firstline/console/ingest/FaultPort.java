package io.firstline.console.ingest;

import io.firstline.proto.Envelope;
import io.firstline.proto.Hello;
import io.netty.channel.Channel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where an agent session hands fault detection: the rule set to push down
 * after the Welcome, and the agent's fault events, which must be committed
 * (with their tickets) before the session acknowledges them. Implemented
 * downstream (tickets); {@link #NONE} when fault detection is off.
 */
public interface FaultPort {
    FaultPort NONE = new FaultPort() {
        @Override
        public Optional<Envelope> ruleSet(Hello hello) {
            return Optional.empty();
        }

        @Override
        public CompletableFuture<Commit> apply(String agentId, long bootEpoch, long sequence, Envelope event) {
            return CompletableFuture.completedFuture(Commit.APPLIED);
        }
    };

    /** The RuleSet envelope for this agent, sent right after the Welcome; empty for none. */
    Optional<Envelope> ruleSet(Hello hello);

    /**
     * Applies a sequenced FaultRaised or FaultCleared. The future completes
     * once the event and its ticket are durably committed, with
     * {@link Commit#DUPLICATE} for a replay the ticket store already has, or
     * a refusal for an event this agent may not send (a rule it was not
     * sent, a field out of bounds). It may complete on any thread; the
     * session hops back to its event loop.
     */
    CompletableFuture<Commit> apply(String agentId, long bootEpoch, long sequence, Envelope event);

    /**
     * The agent holds nothing of {@code bootEpoch} below {@code oldestPending} (nothing at all when 0), as its
     * SeriesDictionary says at each connection: fault events below that can never come again. Called on the event
     * loop; must not block.
     */
    default void holdsNothingBelow(String agentId, long bootEpoch, long oldestPending) {
    }

    /** A welcomed agent's channel, so that changed rules can be pushed to it. */
    default void connected(String agentId, Hello hello, Channel channel) {
    }

    default void disconnected(String agentId, Channel channel) {
    }
}

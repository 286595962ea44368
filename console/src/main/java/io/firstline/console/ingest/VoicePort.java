package io.firstline.console.ingest;

import io.firstline.proto.UserReport;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * Where an agent session hands the user's voice: sequenced user reports,
 * which must be committed (with their tickets) before the session
 * acknowledges them, and the agent's channel, so that the machine's ticket
 * status can be pushed to it. Implemented downstream (tickets); {@link #NONE}
 * where the console has no tickets.
 */
public interface VoicePort {
    VoicePort NONE = (agentId, bootEpoch, sequence, report) -> CompletableFuture.completedFuture(Commit.APPLIED);

    /**
     * Applies a user report (a sequenced kind of {@link SequencedKinds}). The
     * future completes once it and its ticket are durably committed
     * ({@link Commit#APPLIED}), or were already ({@link Commit#DUPLICATE}), or
     * with {@link Commit#INVALID_FIELD} for a report that cannot be applied.
     */
    CompletableFuture<Commit> report(String agentId, long bootEpoch, long sequence, UserReport report);

    /** A welcomed agent's channel: its ticket status goes out now and whenever it changes. */
    default void connected(String agentId, Channel channel) {
    }

    default void disconnected(String agentId, Channel channel) {
    }
}

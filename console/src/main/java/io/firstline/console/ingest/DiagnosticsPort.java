package io.firstline.console.ingest;

import io.firstline.proto.DiagnosticCapabilities;
import io.firstline.proto.DiagnosticResult;
import io.firstline.proto.Hello;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * Where an agent session hands safe diagnostics: the agent's channel and its
 * reported allow-list (at Hello and when it changes), so that requests can be
 * checked and sent to it, and the sequenced result chunks, which must be
 * committed before the session acknowledges them. Implemented downstream
 * ({@code io.firstline.console.diagnostics}); {@link #NONE} where the console
 * runs no diagnostics.
 */
public interface DiagnosticsPort {
    DiagnosticsPort NONE = (agentId, bootEpoch, sequence, result) -> CompletableFuture.completedFuture(Commit.APPLIED);

    /**
     * Commits one result chunk (a sequenced kind of {@link SequencedKinds}).
     * Completes with {@link Commit#APPLIED}, {@link Commit#DUPLICATE} for a
     * chunk already stored, or {@link Commit#INVALID_FIELD} for a chunk of a
     * request this agent was never sent.
     */
    CompletableFuture<Commit> result(String agentId, long bootEpoch, long sequence, DiagnosticResult result);

    /** A welcomed agent's channel and the diagnostics its Hello says it allows. */
    default void connected(String agentId, Hello hello, Channel channel) {
    }

    /** The agent's allow-list changed. */
    default void capabilities(String agentId, DiagnosticCapabilities capabilities) {
    }

    default void disconnected(String agentId, Channel channel) {
    }
}

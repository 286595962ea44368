package io.firstline.console.ingest;

import io.firstline.console.fleet.FleetState;
import io.firstline.proto.Envelope;
import io.micrometer.core.instrument.Counter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Every kind of message an agent sequences, and how the console commits
 * each: the one table {@link AgentSession} consults. The session does the
 * rest the same way for every kind: range checks, the duplicate check
 * against the agent's sequence ledger, the commit, recording the sequence in
 * the ledger (whatever the outcome), the counters, and the ack in arrival
 * order. A message kind that is neither here nor in {@link #UNSEQUENCED}
 * closes the connection, and {@code SequencedKindsTest} fails for any
 * agent-sent body that is in neither.
 *
 * <p>Adding a sequenced kind (say a user report, tags 30-39): one
 * {@code kinds.put(BodyCase.X, new Kind(counter, (s, agent, epoch, seq, msg) -> ...))}
 * below, whose commit completes with a {@link Commit} once the message is
 * durable (on any thread; the session hops back to its event loop).
 */
final class SequencedKinds {
    /** Agent-to-console bodies that are not sequenced (never acknowledged, never replayed). */
    static final Set<Envelope.BodyCase> UNSEQUENCED = Collections.unmodifiableSet(java.util.EnumSet.of(
            Envelope.BodyCase.HELLO, Envelope.BodyCase.HEARTBEAT, Envelope.BodyCase.SERIES_DICTIONARY,
            Envelope.BodyCase.ENROLL_REQUEST, Envelope.BodyCase.RENEW_REQUEST, Envelope.BodyCase.DIAGNOSTIC_CAPABILITIES));
    /** Console-to-agent bodies: an agent sending one is a protocol error. */
    static final Set<Envelope.BodyCase> CONSOLE_ONLY = Collections.unmodifiableSet(java.util.EnumSet.of(
            Envelope.BodyCase.WELCOME, Envelope.BodyCase.REFUSE, Envelope.BodyCase.ACK, Envelope.BodyCase.RULE_SET,
            Envelope.BodyCase.ENROLL_RESPONSE, Envelope.BodyCase.TICKET_STATUS, Envelope.BodyCase.DIAGNOSTIC_REQUEST,
            Envelope.BodyCase.DIAGNOSTIC_CANCEL));

    /** Commits one message of a kind; the future completes once it is durable. */
    @FunctionalInterface
    interface Committer {
        CompletableFuture<Commit> commit(FleetState.Session session, String agentId, long bootEpoch, long sequence, Envelope msg);
    }

    /** One kind: how it commits, and the counter of those applied. */
    record Kind(Counter applied, Committer committer) {
    }

    private final Map<Envelope.BodyCase, Kind> kinds = new EnumMap<>(Envelope.BodyCase.class);

    SequencedKinds(IngestMetrics metrics, IngestPorts ports) {
        FaultPort faults = ports.faults();
        VoicePort voice = ports.voice();
        DiagnosticsPort diagnostics = ports.diagnostics();
        kinds.put(Envelope.BodyCase.SAMPLE, new Kind(metrics.samples, (s, agent, epoch, seq, msg) -> {
            s.applySample(epoch, msg.getSample());
            return CompletableFuture.completedFuture(Commit.APPLIED);
        }));
        kinds.put(Envelope.BodyCase.INVENTORY, new Kind(metrics.inventories, (s, agent, epoch, seq, msg) -> {
            s.applyInventory(epoch, msg.getInventory());
            return CompletableFuture.completedFuture(Commit.APPLIED);
        }));
        Kind fault = new Kind(metrics.faults, (s, agent, epoch, seq, msg) -> faults.apply(agent, epoch, seq, msg));
        kinds.put(Envelope.BodyCase.FAULT_RAISED, fault);
        kinds.put(Envelope.BodyCase.FAULT_CLEARED, fault);
        kinds.put(Envelope.BodyCase.USER_REPORT, new Kind(metrics.userReports,
                (s, agent, epoch, seq, msg) -> voice.report(agent, epoch, seq, msg.getUserReport())));
        kinds.put(Envelope.BodyCase.DIAGNOSTIC_RESULT, new Kind(metrics.diagnosticResults,
                (s, agent, epoch, seq, msg) -> diagnostics.result(agent, epoch, seq, msg.getDiagnosticResult())));
    }

    Optional<Kind> of(Envelope.BodyCase body) {
        return Optional.ofNullable(kinds.get(body));
    }

    Set<Envelope.BodyCase> sequenced() {
        return Collections.unmodifiableSet(kinds.keySet());
    }
}

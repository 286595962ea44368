package io.firstline.console.ingest;

import io.firstline.console.pki.HandshakeKind;
import io.firstline.wire.WireRejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The ingest side's meters, all named here. Every rejection reason is
 * registered up front so a dashboard sees zeros, not gaps; labels come from
 * fixed enums, so cardinality stays bounded whatever agents send.
 */
public final class IngestMetrics {
    private static final java.util.Set<WireRejection> FRAME_REASONS = java.util.EnumSet.of(
            WireRejection.OVERSIZE, WireRejection.MALFORMED, WireRejection.UNKNOWN_TYPE, WireRejection.PROTOCOL);

    final Counter accepted;
    final Counter waited;
    private final MeterRegistry registry;
    final Counter samples;
    final Counter duplicates;
    final Counter inventories;
    final Counter faults;
    final Counter userReports;
    final Counter diagnosticResults;
    final Counter bytes;
    final Timer latency;
    final Counter spoolDropped;
    private final Map<Commit, Counter> refused = new EnumMap<>(Commit.class);
    private final Map<WireRejection, Counter> connectionsRejected = new EnumMap<>(WireRejection.class);
    private final Map<WireRejection, Counter> framesRejected = new EnumMap<>(WireRejection.class);
    private final Map<HandshakeKind, Counter> tlsHandshakes = new EnumMap<>(HandshakeKind.class);

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        accepted = Counter.builder("firstline.connections.accepted").description("Agent-link TCP connections accepted").register(registry);
        waited = Counter.builder("firstline.connections.waited")
                .description("Agent-link connections that waited for a TLS handshake slot (agent.maxHandshakes were in progress)")
                .register(registry);
        samples = Counter.builder("firstline.ingest.samples").description("Samples received and applied").register(registry);
        duplicates = Counter.builder("firstline.ingest.duplicates")
                .description("Sequenced messages dropped because they were already committed").register(registry);
        inventories = Counter.builder("firstline.ingest.inventories").description("Inventories received and applied").register(registry);
        faults = Counter.builder("firstline.ingest.faults").description("Fault events received and applied (not duplicates, not refused)").register(registry);
        userReports = Counter.builder("firstline.ingest.user.reports").description("User reports received and committed").register(registry);
        diagnosticResults = Counter.builder("firstline.ingest.diagnostic.results")
                .description("Diagnostic result chunks received and committed").register(registry);
        bytes = Counter.builder("firstline.ingest.received").baseUnit("bytes").description("Bytes received on the agent link").register(registry);
        spoolDropped = Counter.builder("firstline.agent.spool.dropped")
                .description("Messages agents reported dropped from their disk spool because it was full").register(registry);
        latency = Timer.builder("firstline.ingest.latency")
                .description("Time from a message's arrival to its acknowledgement being written")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofSeconds(1))
                .register(registry);
        for (Commit c : Commit.values()) {
            if (c.refused()) {
                refused.put(c, Counter.builder("firstline.ingest.refused").tag("reason", c.label())
                        .description("Sequenced messages acknowledged but not applied, by reason (the connection stays open)")
                        .register(registry));
            }
        }
        for (HandshakeKind k : HandshakeKind.values()) {
            tlsHandshakes.put(k, Counter.builder("firstline.agent.tls.handshakes").tag("kind", k.label())
                    .description("TLS handshakes completed on the agent port: full (certificates checked, signatures) or resumed"
                            + " (a session ticket)").register(registry));
        }
        for (WireRejection r : WireRejection.values()) {
            connectionsRejected.put(r, Counter.builder("firstline.connections.rejected").tag("reason", r.label())
                    .description("Agent-link connections closed by the console, by reason").register(registry));
            if (FRAME_REASONS.contains(r)) {
                framesRejected.put(r, Counter.builder("firstline.frames.rejected").tag("reason", r.label())
                        .description("Frames rejected on the agent link, by reason (each closes its connection)").register(registry));
            }
        }
    }

    /** Shows how many connections wait for a TLS handshake slot now. */
    void watchWaiting(IntSupplier waiting) {
        Gauge.builder("firstline.agent.handshakes.waiting", waiting, IntSupplier::getAsInt).strongReference(true)
                .description("Agent-link connections waiting, unread, for a TLS handshake slot").register(registry);
    }

    /** Counts a settled sequenced message: applied (in its kind's counter), duplicate, or refused by reason. */
    void committed(Counter applied, Commit c) {
        switch (c) {
            case APPLIED -> applied.increment();
            case DUPLICATE -> duplicates.increment();
            default -> refused.get(c).increment();
        }
    }

    void spoolDropped(long delta) {
        if (delta > 0) {
            spoolDropped.increment(delta);
        }
    }

    void tlsHandshake(HandshakeKind kind) {
        tlsHandshakes.get(kind).increment();
    }

    void rejected(WireRejection reason) {
        connectionsRejected.get(reason).increment();
        Counter frame = framesRejected.get(reason);
        if (frame != null) {
            frame.increment();
        }
    }
}

package io.firstline.console.ingest;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.proto.Ack;
import io.firstline.proto.EnrollResponse;
import io.firstline.proto.Envelope;
import io.firstline.proto.Heartbeat;
import io.firstline.proto.Hello;
import io.firstline.proto.Refuse;
import io.firstline.proto.SeriesDictionary;
import io.firstline.proto.Welcome;
import io.firstline.wire.Tls;
import io.firstline.wire.WireProtocol;
import io.firstline.wire.WireRejection;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent connection, from the console's side: wait for the first message
 * (within the handshake timeout). A Hello from a client certificate whose CN
 * is its agent id gets Welcome, then each sequenced message (every kind in
 * {@link SequencedKinds}, through one path) is committed, recorded in the
 * agent's sequence ledger and acknowledged; an EnrollRequest or RenewRequest gets its
 * certificate (or Refuse) and the connection closes. Anything out of order
 * closes this connection only, with its reason counted.
 */
final class AgentSession extends SimpleChannelInboundHandler<Envelope> {
    private static final Logger log = LoggerFactory.getLogger(AgentSession.class);
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final ConsoleConfig config;
    private final FleetState fleet;
    private final IngestMetrics metrics;
    private final String consoleId;
    private final FaultPort faults;
    private final VoicePort voice;
    private final DiagnosticsPort diagnostics;
    private final Handover handover;
    private final boolean requireCertificate;
    private final Enrollment enrollment;
    private final Executor enrollExecutor;
    private final LiveConnections live;
    private final SequencedKinds kinds;
    private String agentId;
    private FleetState.Session session;
    private ScheduledFuture<?> handshakeTimer;
    /**
     * Acknowledgements not yet written, in arrival order. Acks settle everything
     * sent before them, so one may go out only when every message before it is
     * committed: a fault event's commit runs off the event loop and holds the
     * acks behind it until it is done.
     */
    private final ArrayDeque<PendingAck> acks = new ArrayDeque<>();
    private boolean answered;
    /** Inside a read: acks wait for its end ({@link #channelReadComplete}), where one covers them all. */
    private boolean reading;
    /** The newest committed message whose Ack is not written yet; acks are positional, so it covers those before it. */
    private PendingAck unsentAck;
    /** Between a Hello and its Welcome while the connection is claimed from the shared store (several nodes). */
    private boolean claiming;
    private boolean rejected;
    /** Set when the console stops: no more reading; the refusal goes out once the acks have. */
    private ShuttingDown stopping;

    private static final class PendingAck {
        final long epoch;
        final long sequence;
        final long startNanos;
        boolean committed;

        PendingAck(long epoch, long sequence, long startNanos) {
            this.epoch = epoch;
            this.sequence = sequence;
            this.startNanos = startNanos;
        }
    }

    AgentSession(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId, boolean requireCertificate,
                 Enrollment enrollment, Executor enrollExecutor, LiveConnections live, IngestPorts ports) {
        this.faults = ports.faults();
        this.voice = ports.voice();
        this.diagnostics = ports.diagnostics();
        this.handover = ports.handover();
        this.live = live;
        this.config = config;
        this.fleet = fleet;
        this.metrics = metrics;
        this.consoleId = consoleId;
        this.requireCertificate = requireCertificate;
        this.enrollment = enrollment;
        this.enrollExecutor = enrollExecutor;
        this.kinds = new SequencedKinds(metrics, ports);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startHelloTimer(ctx); // added after the connection waited for a handshake slot (HandshakeLimiter)
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startHelloTimer(ctx);
        ctx.fireChannelActive();
    }

    private void startHelloTimer(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            return;
        }
        handshakeTimer = ctx.executor().schedule(() -> {
            if (session == null) {
                reject(ctx, WireRejection.HANDSHAKE_TIMEOUT, "no Hello within " + config.handshakeTimeout().toMillis() + " ms");
            }
        }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope msg) {
        long start = System.nanoTime();
        reading = true;
        if (stopping != null) {
            // Read before reading stopped: not acknowledged, so the agent sends it again to the next console.
            return;
        }
        if (session == null) {
            if (claiming) {
                // The agent's idle heartbeat may come before the Welcome it waits for; anything else may not.
                if (msg.getBodyCase() != Envelope.BodyCase.HEARTBEAT) {
                    reject(ctx, WireRejection.PROTOCOL, msg.getBodyCase() + " before the Welcome");
                }
                return;
            }
            if (answered) {
                reject(ctx, WireRejection.PROTOCOL, msg.getBodyCase() + " after an enrollment exchange");
            } else if (msg.getBodyCase() == Envelope.BodyCase.HELLO) {
                hello(ctx, msg.getHello());
            } else if (msg.getBodyCase() == Envelope.BodyCase.ENROLL_REQUEST) {
                enroll(ctx, msg);
            } else if (msg.getBodyCase() == Envelope.BodyCase.RENEW_REQUEST) {
                enroll(ctx, msg);
            } else if (msg.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET) {
                reject(ctx, WireRejection.UNKNOWN_TYPE, "envelope without a known body before Hello");
            } else {
                reject(ctx, WireRejection.PROTOCOL, msg.getBodyCase() + " before Hello");
            }
            return;
        }
        switch (msg.getBodyCase()) {
            case SERIES_DICTIONARY -> {
                SeriesDictionary d = msg.getSeriesDictionary();
                if (d.getBootEpoch() > session.bootEpoch() || d.getBootEpoch() < 0 || d.getDropped() < 0 || d.getOldestPending() < 0) {
                    reject(ctx, WireRejection.PROTOCOL, "dictionary for boot epoch " + Long.toUnsignedString(d.getBootEpoch())
                            + " (after the Hello's, or a number above 2^63 - 1)");
                    return;
                }
                metrics.spoolDropped(session.dictionary(d));
                faults.holdsNothingBelow(agentId, d.getBootEpoch(), d.getOldestPending());
                session.heard();
            }
            case HEARTBEAT -> {
                session.heard();
                ctx.writeAndFlush(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                        .setAgentTimeMs(msg.getHeartbeat().getAgentTimeMs())
                        .setConsoleTimeMs(System.currentTimeMillis())).build(), ctx.voidPromise());
            }
            case DIAGNOSTIC_CAPABILITIES -> {
                session.heard();
                diagnostics.capabilities(agentId, msg.getDiagnosticCapabilities());
            }
            case BODY_NOT_SET -> reject(ctx, WireRejection.UNKNOWN_TYPE, "envelope without a known body");
            default -> {
                Optional<SequencedKinds.Kind> kind = kinds.of(msg.getBodyCase());
                if (kind.isPresent()) {
                    sequenced(ctx, msg, kind.get(), start);
                } else {
                    reject(ctx, WireRejection.PROTOCOL, "unexpected " + msg.getBodyCase() + " from an agent");
                }
            }
        }
    }

    /**
     * The one path of every sequenced message kind: range checks, the
     * duplicate check against the ledger, the kind's commit, then the ledger
     * records the sequence (whatever the outcome), the counters move and the
     * ack goes out in arrival order.
     */
    private void sequenced(ChannelHandlerContext ctx, Envelope msg, SequencedKinds.Kind kind, long start) {
        long epoch = epochOf(ctx, msg);
        if (epoch == 0) {
            return;
        }
        long sequence = msg.getSequence();
        session.heard();
        PendingAck pending = expectAck(epoch, sequence, start);
        if (session.settled(epoch, sequence)) {
            metrics.committed(kind.applied(), Commit.DUPLICATE);
            committed(ctx, pending);
            return;
        }
        CompletableFuture<Commit> commit;
        try {
            commit = kind.committer().commit(session, agentId, epoch, sequence, msg);
        } catch (RuntimeException e) {
            commit = CompletableFuture.failedFuture(e);
        }
        commit.whenComplete((result, failure) -> {
            if (ctx.executor().inEventLoop()) {
                settled(ctx, msg, epoch, sequence, kind, pending, result, failure);
            } else {
                ctx.executor().execute(() -> settled(ctx, msg, epoch, sequence, kind, pending, result, failure));
            }
        });
    }

    private void settled(ChannelHandlerContext ctx, Envelope msg, long epoch, long sequence, SequencedKinds.Kind kind,
                         PendingAck pending, Commit result, Throwable failure) {
        if (failure != null) {
            log.error("could not commit {} {} of agent {}; closing so that it is sent again", msg.getBodyCase(), sequence, agentId,
                    failure);
            reject(ctx, WireRejection.INTERNAL, msg.getBodyCase() + " not committed: " + failure);
            return;
        }
        session.settle(epoch, sequence);
        metrics.committed(kind.applied(), result);
        if (result.refused()) {
            log.info("agent {} sent {} {} that the console will not apply ({}); acknowledged", agentId, msg.getBodyCase(), sequence,
                    result.label());
        }
        committed(ctx, pending);
    }

    /**
     * The boot epoch a sequenced message belongs to, or 0 after rejecting it:
     * sequence and epoch are uint64 on the wire, and only 1 to 2^63 - 1 are
     * valid (compared as Java longs, anything above is negative), and the
     * epoch may not be later than the Hello's.
     */
    private long epochOf(ChannelHandlerContext ctx, Envelope msg) {
        long epoch = msg.getBootEpoch() == 0 ? session.bootEpoch() : msg.getBootEpoch();
        if (epoch < 0 || epoch > session.bootEpoch() || msg.getSequence() <= 0) {
            reject(ctx, WireRejection.PROTOCOL, "sequenced message with boot epoch " + Long.toUnsignedString(epoch)
                    + " and sequence " + Long.toUnsignedString(msg.getSequence()) + " (sequences are 1 to 2^63 - 1, epochs at most the Hello's)");
            return 0;
        }
        return epoch;
    }

    private Optional<X509Certificate> peerCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (SSLPeerUnverifiedException none) {
            return Optional.empty();
        }
    }

    private void enroll(ChannelHandlerContext ctx, Envelope msg) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        answered = true;
        Optional<X509Certificate> peer = peerCertificate(ctx);
        String remote = String.valueOf(ctx.channel().remoteAddress());
        if (enrollment == null) {
            refuse(ctx, Refuse.Reason.ENROLLMENT_REFUSED, WireRejection.ENROLLMENT_REFUSED, "this console does not enroll agents");
            return;
        }
        if (msg.hasRenewRequest() && peer.isEmpty()) {
            refuse(ctx, Refuse.Reason.NOT_ENROLLED, WireRejection.NO_CLIENT_CERTIFICATE, "a renewal needs the current client certificate");
            return;
        }
        enrollExecutor.execute(() -> {
            try {
                EnrollResponse r = msg.hasEnrollRequest() ? enrollment.enroll(msg.getEnrollRequest(), peer, remote)
                        : enrollment.renew(msg.getRenewRequest(), peer.get(), remote);
                if (msg.hasEnrollRequest()) {
                    fleet.enrolled(r.getAgentId(), r.getSite());
                }
                ctx.writeAndFlush(Envelope.newBuilder().setEnrollResponse(r).build()).addListener(ChannelFutureListener.CLOSE);
            } catch (Enrollment.Refused e) {
                ctx.executor().execute(() -> refuse(ctx, Refuse.Reason.ENROLLMENT_REFUSED, WireRejection.ENROLLMENT_REFUSED, e.getMessage()));
            } catch (RuntimeException e) {
                log.error("enrollment from {} failed", remote, e);
                ctx.executor().execute(() -> reject(ctx, WireRejection.INTERNAL, "enrollment failed: " + e));
            }
        });
    }

    private void hello(ChannelHandlerContext ctx, Hello h) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (!AGENT_ID.matcher(h.getAgentId()).matches() || h.getBootEpoch() <= 0) {
            refuse(ctx, Refuse.Reason.BAD_HELLO, WireRejection.PROTOCOL,
                    "Hello needs an agent_id matching [A-Za-z0-9][A-Za-z0-9._-]{0,63} and a boot_epoch from 1 to 2^63 - 1");
            return;
        }
        if (requireCertificate) {
            Optional<X509Certificate> peer = peerCertificate(ctx);
            if (peer.isEmpty()) {
                refuse(ctx, Refuse.Reason.NOT_ENROLLED, WireRejection.NO_CLIENT_CERTIFICATE,
                        "no client certificate: enroll this agent first");
                return;
            }
            if (!Tls.commonName(peer.get()).equals(h.getAgentId())) {
                refuse(ctx, Refuse.Reason.IDENTITY_MISMATCH, WireRejection.IDENTITY_MISMATCH,
                        "Hello says agent " + h.getAgentId() + " but the certificate is for " + Tls.commonName(peer.get()));
                return;
            }
            if (enrollment != null && !enrollment.storeAvailable()) {
                refuse(ctx, Handover.Refused.storeUnavailable(enrollment.storeName(), h.getAgentId()));
                return;
            }
        }
        int version = WireProtocol.negotiate(h.getMinProtocolVersion(), h.getProtocolVersion());
        if (version < 0) {
            refuse(ctx, Refuse.Reason.UNSUPPORTED_PROTOCOL, WireRejection.UNSUPPORTED_VERSION,
                    "agent speaks protocol " + h.getMinProtocolVersion() + "-" + h.getProtocolVersion());
            return;
        }
        claiming = true;
        if (requireCertificate && enrollment != null) {
            checkNotRevoked(ctx, h, version, ConsoleCa.serialOf(peerCertificate(ctx).orElseThrow()));
            return;
        }
        claim(ctx, h, version);
    }

    /**
     * Checked at the handshake too, but a resumed TLS session skips that check,
     * so every Hello asks the store again: on the enrollment executor, not the
     * event loop, which a store's round trip per returning agent would stall.
     */
    private void checkNotRevoked(ChannelHandlerContext ctx, Hello h, int version, String serial) {
        CompletableFuture<Boolean> revoked;
        try {
            revoked = CompletableFuture.supplyAsync(() -> enrollment.isRevoked(h.getAgentId(), serial), enrollExecutor);
        } catch (RuntimeException stopping) {
            revoked = CompletableFuture.failedFuture(stopping);
        }
        revoked.whenComplete((refused, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                claiming = false;
                log.warn("could not check the certificate of agent {}: {}", h.getAgentId(), failure.toString());
                reject(ctx, WireRejection.INTERNAL, "the store did not answer the Hello of agent " + h.getAgentId());
            } else if (refused) {
                claiming = false;
                refuse(ctx, Refuse.Reason.CERTIFICATE_REFUSED, WireRejection.REVOKED_CERTIFICATE,
                        "the certificate of agent " + h.getAgentId() + " is revoked or was replaced by a renewal");
            } else if (!ctx.channel().isActive()) {
                claiming = false;
            } else {
                claim(ctx, h, version);
            }
        }));
    }

    /** Claims the agent for this node (several nodes: through the shared store), then welcomes it. */
    private void claim(ChannelHandlerContext ctx, Hello h, int version) {
        CompletableFuture<java.util.Map<Long, Long>> claim;
        try {
            claim = handover.claim(h);
        } catch (RuntimeException e) {
            claim = CompletableFuture.failedFuture(e);
        }
        if (claim.isDone() && !claim.isCompletedExceptionally()) {
            welcome(ctx, h, version, claim.join());
            return;
        }
        claim.whenComplete((settled, failure) -> ctx.executor().execute(() -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof Handover.Refused refused) {
                claiming = false;
                refuse(ctx, refused);
            } else if (failure != null) {
                claiming = false;
                log.warn("could not claim agent {} for this node: {}", h.getAgentId(), failure.toString());
                reject(ctx, WireRejection.INTERNAL, "the store did not answer the Hello of agent " + h.getAgentId());
            } else {
                welcome(ctx, h, version, settled);
            }
        }));
    }

    /** The connection is this node's now ({@code settled}: the ledger as the store holds it): Welcome. */
    private void welcome(ChannelHandlerContext ctx, Hello h, int version, java.util.Map<Long, Long> settled) {
        claiming = false;
        if (!ctx.channel().isActive()) {
            // Gone while it was claimed: released as a connection that ended is (unless a newer one took its place here).
            if (!fleet.connectedHere(h.getAgentId())) {
                fleet.connect(h, String.valueOf(ctx.channel().remoteAddress()), settled).closed();
                handover.released(h.getAgentId());
            }
            return;
        }
        session = fleet.connect(h, String.valueOf(ctx.channel().remoteAddress()), settled);
        if (enrollment != null) {
            enrollment.site(h.getAgentId()).ifPresent(session::site);
        }
        agentId = h.getAgentId();
        live.put(agentId, ctx.channel(), String.valueOf(ctx.channel().remoteAddress()));
        ctx.writeAndFlush(Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                .setProtocolVersion(version)
                .setSampleIntervalMs((int) config.sampleInterval().toMillis())
                .setAckedSequence(session.ackedAtHello())
                .setConsoleTimeMs(System.currentTimeMillis())
                .setConsoleId(consoleId)).build(), ctx.voidPromise());
        faults.ruleSet(h).ifPresent(rules -> ctx.writeAndFlush(rules, ctx.voidPromise()));
        faults.connected(agentId, h, ctx.channel());
        voice.connected(agentId, ctx.channel());
        diagnostics.connected(agentId, h, ctx.channel());
        log.info("agent {} ({}) connected from {}", h.getAgentId(), h.getHost().getHostname(), ctx.channel().remoteAddress());
    }

    private PendingAck expectAck(long epoch, long sequence, long startNanos) {
        PendingAck a = new PendingAck(epoch, sequence, startNanos);
        acks.addLast(a);
        return a;
    }

    /**
     * A message was committed: acknowledges it and any after it that were waiting, with one Ack for the whole
     * run. Acks are positional (docs/protocol.md), so the last one settles every message before it on this
     * connection: a backlog committed in a burst costs one Ack, one TLS record and one write, not one each.
     */
    private void committed(ChannelHandlerContext ctx, PendingAck done) {
        done.committed = true;
        long now = 0;
        while (!acks.isEmpty() && acks.peekFirst().committed) {
            unsentAck = acks.pollFirst();
            now = now == 0 ? System.nanoTime() : now;
            metrics.latency.record(now - unsentAck.startNanos, TimeUnit.NANOSECONDS);
        }
        if (!reading) {
            sendAck(ctx);
        }
        if (stopping != null && acks.isEmpty()) {
            goodbye(ctx);
        }
    }

    /**
     * The console is stopping: read nothing more; once every commit this
     * connection started is done and acknowledged, say so and close.
     */
    private void stop(ChannelHandlerContext ctx, ShuttingDown s) {
        if (stopping != null || rejected) {
            return;
        }
        stopping = s;
        ctx.channel().config().setAutoRead(false);
        if (answered) {
            return; // an enrollment exchange closes the connection itself once answered
        }
        if (session == null) {
            // Not welcomed yet (TLS, Hello, or a claim in progress, which then finds the connection gone): nothing to finish.
            ctx.close();
        } else if (acks.isEmpty()) {
            goodbye(ctx);
        }
    }

    private void goodbye(ChannelHandlerContext ctx) {
        if (rejected) {
            return;
        }
        sendAck(ctx);
        rejected = true;
        ctx.writeAndFlush(Envelope.newBuilder().setRefuse(Refuse.newBuilder().setReason(Refuse.Reason.SHUTTING_DOWN)
                        .setMessage("the console is stopping; everything acknowledged is committed")
                        .setMinProtocolVersion(WireProtocol.MIN_VERSION).setMaxProtocolVersion(WireProtocol.VERSION)
                        .setRetryAfterMs((int) stopping.retryAfterMs()).setRetrySpreadMs((int) stopping.spreadMs())).build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Writes the Ack of the newest committed message, if it is not sent yet. */
    private void sendAck(ChannelHandlerContext ctx) {
        PendingAck a = unsentAck;
        unsentAck = null;
        if (a != null && ctx.channel().isActive()) {
            ctx.writeAndFlush(Envelope.newBuilder().setAck(Ack.newBuilder()
                    .setBootEpoch(a.epoch).setSequence(a.sequence)).build(), ctx.voidPromise());
        }
    }

    /** The messages of one read are handled: one Ack covers every one of them committed meanwhile. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        sendAck(ctx);
        ctx.fireChannelReadComplete();
    }

    private void refuse(ChannelHandlerContext ctx, Refuse.Reason reason, WireRejection counted, String message) {
        refuse(ctx, Refuse.newBuilder().setReason(reason).setMessage(message), counted);
    }

    /** This node cannot take the agent now (its store is unavailable): the agent is told when to come back, and tries another node. */
    private void refuse(ChannelHandlerContext ctx, Handover.Refused refused) {
        refuse(ctx, refused.refusal(), WireRejection.STORE_UNAVAILABLE);
    }

    private void refuse(ChannelHandlerContext ctx, Refuse.Builder refusal, WireRejection counted) {
        if (rejected) {
            return;
        }
        rejected = true;
        metrics.rejected(counted);
        log.warn("refused agent connection from {}: {}", ctx.channel().remoteAddress(), refusal.getMessage());
        ctx.writeAndFlush(Envelope.newBuilder().setRefuse(refusal
                        .setMinProtocolVersion(WireProtocol.MIN_VERSION).setMaxProtocolVersion(WireProtocol.VERSION)).build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void reject(ChannelHandlerContext ctx, WireRejection reason, String fullDetail) {
        String detail = fullDetail.length() > 200 ? fullDetail.substring(0, 200) + "..." : fullDetail;
        // TLS failures may be reported just after the TLS layer closed the channel; count them all the same.
        boolean tlsFailure = reason == WireRejection.TLS_ERROR || reason == WireRejection.HANDSHAKE_TIMEOUT
                || reason.label().endsWith("_certificate");
        if (rejected || !ctx.channel().isActive() && !tlsFailure) {
            return;
        }
        rejected = true;
        metrics.rejected(reason);
        if (reason == WireRejection.IO_ERROR || reason == WireRejection.IDLE_TIMEOUT) {
            log.info("closing agent connection from {}: {} ({})", ctx.channel().remoteAddress(), reason.label(), detail);
        } else {
            log.warn("closing agent connection from {}: {} ({})", ctx.channel().remoteAddress(), reason.label(), detail);
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ShuttingDown s) {
            stop(ctx, s);
            return;
        }
        if (evt instanceof LiveConnections.Superseded s) {
            refuse(ctx, Refuse.Reason.SUPERSEDED, WireRejection.SUPERSEDED, "agent " + agentId + " connected again from " + s.remote()
                    + "; the console keeps only the newest connection of an agent");
            return;
        }
        if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
            reject(ctx, WireRejection.IDLE_TIMEOUT, "silent for " + config.offlineAfter().toMillis() + " ms");
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            WireRejection reason = done.cause() instanceof SslHandshakeTimeoutException ? WireRejection.HANDSHAKE_TIMEOUT
                    : FloodGuard.classify(done.cause());
            reject(ctx, reason, "TLS handshake failed: " + done.cause().getMessage());
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        WireRejection reason = FloodGuard.classify(cause);
        if (reason == WireRejection.INTERNAL) {
            log.error("bug while serving agent connection from {}", ctx.channel().remoteAddress(), cause);
        }
        reject(ctx, reason, String.valueOf(cause.getMessage()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (session != null) {
            session.closed();
            faults.disconnected(agentId, ctx.channel());
            voice.disconnected(agentId, ctx.channel());
            diagnostics.disconnected(agentId, ctx.channel());
            live.remove(agentId, ctx.channel());
            handover.released(agentId);
        }
        ctx.fireChannelInactive();
    }
}

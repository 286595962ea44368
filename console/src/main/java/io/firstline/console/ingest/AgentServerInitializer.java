package io.firstline.console.ingest;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.pki.HandshakeKind;
import io.firstline.wire.Framing;
import io.firstline.wire.WireRejection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The console side of the agent link, top to bottom as bytes arrive:
 * admission (at most {@code agent.maxHandshakes} TLS handshakes at a time;
 * past that, the connection waits unread for a slot up to
 * {@code agent.admissionWait}, or gets {@link OverloadRefusal} alone, before
 * any TLS; {@link HandshakeLimiter}) →
 * TLS (client certificate checked against the CA and the revocations) →
 * byte count → framing, with the flood guard between cutting and parsing →
 * idle watch (complete messages only, so a trickling sender times out) →
 * the session.
 */
final class AgentServerInitializer extends ChannelInitializer<Channel> {
    private final ConsoleConfig config;
    private final FleetState fleet;
    private final IngestMetrics metrics;
    private final ByteCounter byteCounter;
    private final String consoleId;
    private final SslContext tls;
    private final Enrollment enrollment;
    private final Executor enrollExecutor;
    private final LiveConnections live;
    private final IngestPorts ports;
    private final HandshakeLimiter handshakes;
    private final ReturnSlots slots = new ReturnSlots(System::nanoTime);
    private final ChannelGroup all;
    /** Set when the console stops: a connection accepted after that is closed at once. */
    private volatile boolean stopping;

    AgentServerInitializer(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId, SslContext tls,
                           Enrollment enrollment, Executor enrollExecutor, LiveConnections live, IngestPorts ports, ChannelGroup all) {
        this.all = all;
        long waitNanos = config.admissionWait().toNanos();
        this.handshakes = new HandshakeLimiter(config.maxHandshakes(), waitNanos, () -> slots.servedWithin(waitNanos), System::nanoTime);
        metrics.watchWaiting(handshakes::waiting);
        this.ports = ports;
        this.live = live;
        this.config = config;
        this.fleet = fleet;
        this.metrics = metrics;
        this.byteCounter = new ByteCounter(metrics.bytes);
        this.consoleId = consoleId;
        this.tls = tls;
        this.enrollment = enrollment;
        this.enrollExecutor = enrollExecutor;
    }

    /** Without TLS, with what sessions hand on going to {@code ports}: for the session's unit tests only. */
    static AgentServerInitializer plaintextForTests(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId,
                                                    IngestPorts ports) {
        return new AgentServerInitializer(config, fleet, metrics, consoleId, null, null, Runnable::run, new LiveConnections(), ports,
                new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE));
    }

    /** No more connections: each one accepted from now on is closed, and so is each one waiting for a handshake slot. */
    void stopAccepting() {
        stopping = true;
        handshakes.close();
    }

    @Override
    protected void initChannel(Channel ch) {
        if (stopping) {
            ch.close();
            return;
        }
        metrics.accepted.increment();
        if (tls == null) {
            addSession(ch);
        } else if (handshakes.admit(ch, this::startTls, this::refuse)) {
            metrics.waited.increment();
            slots.saturated();
        }
    }

    /** Too many handshakes in progress, and no room to wait: a plain refusal with a time to come back, and nothing else. */
    private void refuse(Channel ch) {
        metrics.rejected(WireRejection.OVERLOADED);
        ch.pipeline().addLast("overloaded", new OverloadRefusal(slots.book(handshakes.waiting())));
    }

    /** The connection has its handshake slot (now, or after waiting for it). */
    private void startTls(Channel ch) {
        SslHandler ssl;
        try {
            ssl = tls.newHandler(ch.alloc());
        } catch (RuntimeException e) {
            handshakes.release();
            ch.close();
            throw e;
        }
        ssl.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        handshakes.hold(ch, ssl.handshakeFuture());
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                slots.handshakeDone();
                metrics.tlsHandshake(HandshakeKind.of(ssl.engine()));
            }
        });
        ch.pipeline().addLast("tls", ssl);
        addSession(ch);
    }

    private void addSession(Channel ch) {
        all.add(ch);
        ch.pipeline().addLast("bytes", byteCounter);
        Framing.addCodec(ch.pipeline(), config.maxFrameBytes());
        ch.pipeline().addAfter(Framing.FRAME_DECODER, "floodGuard", new FloodGuard(System::nanoTime));
        // An agent sends a sample or heartbeat every interval; silence for the offline period ends the connection.
        ch.pipeline().addLast("idle", new IdleStateHandler(config.offlineAfter().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("session", new AgentSession(config, fleet, metrics, consoleId, tls != null, enrollment, enrollExecutor,
                live, ports));
    }
}

package io.firstline.console.ingest;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.fleet.FleetState;
import io.firstline.wire.Framing;
import io.firstline.wire.WireRejection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The console side of the agent link, top to bottom as bytes arrive:
 * TLS (client certificate checked against the CA and the revocations; at
 * most {@value HandshakeLimiter#DEFAULT_MAX} handshakes at a time) →
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
    private final HandshakeLimiter handshakes = new HandshakeLimiter(HandshakeLimiter.DEFAULT_MAX);

    AgentServerInitializer(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId, SslContext tls,
                           Enrollment enrollment, Executor enrollExecutor, LiveConnections live, IngestPorts ports) {
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
        return new AgentServerInitializer(config, fleet, metrics, consoleId, null, null, Runnable::run, new LiveConnections(), ports);
    }

    @Override
    protected void initChannel(Channel ch) {
        metrics.accepted.increment();
        if (tls != null) {
            SslHandler ssl = tls.newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
            ch.pipeline().addLast("tls", ssl);
            if (!handshakes.admit(ch, ssl.handshakeFuture())) {
                metrics.rejected(WireRejection.OVERLOADED);
                ch.close();
                return;
            }
        }
        ch.pipeline().addLast("bytes", byteCounter);
        Framing.addCodec(ch.pipeline(), config.maxFrameBytes());
        ch.pipeline().addAfter(Framing.FRAME_DECODER, "floodGuard", new FloodGuard(System::nanoTime));
        // An agent sends a sample or heartbeat every interval; silence for the offline period ends the connection.
        ch.pipeline().addLast("idle", new IdleStateHandler(config.offlineAfter().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("session", new AgentSession(config, fleet, metrics, consoleId, tls != null, enrollment, enrollExecutor,
                live, ports));
    }
}

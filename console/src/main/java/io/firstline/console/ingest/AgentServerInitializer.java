package io.firstline.console.ingest;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.wire.Framing;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.Channel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The console side of the agent link, top to bottom as bytes arrive:
 * byte count → (TLS goes here with enrollment) → framing → idle watch →
 * the session.
 */
final class AgentServerInitializer extends ChannelInitializer<Channel> {
    private final ConsoleConfig config;
    private final FleetState fleet;
    private final IngestMetrics metrics;
    private final ByteCounter byteCounter;
    private final String consoleId;
    private final FaultPort faults;

    AgentServerInitializer(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId) {
        this(config, fleet, metrics, consoleId, FaultPort.NONE);
    }

    AgentServerInitializer(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId, FaultPort faults) {
        this.faults = faults;
        this.config = config;
        this.fleet = fleet;
        this.metrics = metrics;
        this.byteCounter = new ByteCounter(metrics.bytes);
        this.consoleId = consoleId;
    }

    @Override
    protected void initChannel(Channel ch) {
        metrics.accepted.increment();
        ch.pipeline().addLast("bytes", byteCounter);
        Framing.addCodec(ch.pipeline(), config.maxFrameBytes());
        // An agent sends a sample or heartbeat every interval; silence for the offline period ends the connection.
        ch.pipeline().addLast("idle", new IdleStateHandler(config.offlineAfter().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("session", new AgentSession(config, fleet, metrics, consoleId, faults));
    }
}

package io.firstline.console.ingest;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;

/** Listens for agents on the agent port (7443 by default). */
public final class AgentServer implements AutoCloseable {
    private final Channel channel;

    private AgentServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds and returns once listening.
     *
     * @throws java.net.BindException (sneakily, from Netty) when the port is taken
     */
    public static AgentServer bind(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId,
                                   EventLoopGroup boss, EventLoopGroup workers) throws InterruptedException {
        return bind(config, fleet, metrics, consoleId, boss, workers, FaultPort.NONE);
    }

    /** Binds with fault detection: sessions push rules down and commit fault events through {@code faults}. */
    public static AgentServer bind(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId,
                                   EventLoopGroup boss, EventLoopGroup workers, FaultPort faults) throws InterruptedException {
        Channel ch = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new AgentServerInitializer(config, fleet, metrics, consoleId, faults))
                .bind(config.agentListen().bind(), config.agentListen().port())
                .sync()
                .channel();
        return new AgentServer(ch);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}

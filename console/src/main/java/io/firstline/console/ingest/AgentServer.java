package io.firstline.console.ingest;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.fleet.FleetState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Listens for agents on the agent port (7443 by default), TLS only. */
public final class AgentServer implements AutoCloseable {
    private final Channel channel;
    private final ExecutorService enrollExecutor;
    private final LiveConnections live;

    private AgentServer(Channel channel, ExecutorService enrollExecutor, LiveConnections live) {
        this.channel = channel;
        this.enrollExecutor = enrollExecutor;
        this.live = live;
    }

    /** The welcomed connections, by agent. */
    public LiveConnections connections() {
        return live;
    }

    /**
     * Binds and returns once listening.
     *
     * @throws java.net.BindException (sneakily, from Netty) when the port is taken
     */
    public static AgentServer bind(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId,
                                   SslContext tls, Enrollment enrollment, EventLoopGroup boss, EventLoopGroup workers,
                                   IngestPorts ports) throws InterruptedException {
        // Enrollment signs certificates and commits to the store: off the event loops.
        ExecutorService enrollExecutor = Executors.newSingleThreadExecutor(new DefaultThreadFactory("firstline-enroll", true));
        LiveConnections live = new LiveConnections();
        Channel ch;
        try {
            ch = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new AgentServerInitializer(config, fleet, metrics, consoleId, tls, enrollment, enrollExecutor, live, ports))
                .bind(config.agentListen().bind(), config.agentListen().port())
                .sync()
                .channel();
        } catch (RuntimeException | InterruptedException e) {
            enrollExecutor.shutdownNow();
            throw e;
        }
        return new AgentServer(ch, enrollExecutor, live);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        enrollExecutor.shutdownNow();
    }
}

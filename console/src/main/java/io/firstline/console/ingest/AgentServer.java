package io.firstline.console.ingest;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.fleet.FleetState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listens for agents on the agent port (7443 by default), TLS only. */
public final class AgentServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);
    private final Channel channel;
    private final ExecutorService enrollExecutor;
    private final LiveConnections live;
    private final AgentServerInitializer initializer;
    private final ChannelGroup all;
    private final Duration shutdownSpread;

    private AgentServer(Channel channel, ExecutorService enrollExecutor, LiveConnections live, AgentServerInitializer initializer,
                        ChannelGroup all, Duration shutdownSpread) {
        this.channel = channel;
        this.enrollExecutor = enrollExecutor;
        this.live = live;
        this.initializer = initializer;
        this.all = all;
        this.shutdownSpread = shutdownSpread;
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
        ChannelGroup all = new DefaultChannelGroup("agent-connections", GlobalEventExecutor.INSTANCE);
        AgentServerInitializer initializer = new AgentServerInitializer(config, fleet, metrics, consoleId, tls, enrollment,
                enrollExecutor, live, ports, all);
        Channel ch;
        try {
            ch = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer)
                .bind(config.agentListen().bind(), config.agentListen().port())
                .sync()
                .channel();
        } catch (RuntimeException | InterruptedException e) {
            enrollExecutor.shutdownNow();
            throw e;
        }
        return new AgentServer(ch, enrollExecutor, live, initializer, all, config.shutdownSpread());
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Stops accepting agents and tells every connected one that the console
     * is stopping ({@link ShuttingDown}): each connection first finishes the
     * commits it started and sends their acks, then {@code Refuse(SHUTTING_DOWN)}
     * asks its agent to come back once a new console has had {@code lastStart}
     * (how long this one took to start), spread over {@code agent.shutdownSpread}
     * or longer for a large fleet ({@link ShuttingDown#forFleet}).
     * Returns once every connection is closed, or after {@code timeout}
     * (then the rest are closed; what they had not acknowledged, their agents
     * send again).
     */
    public void drain(Duration timeout, Duration lastStart) {
        long start = System.nanoTime();
        initializer.stopAccepting();
        channel.close().syncUninterruptibly();
        int connected = all.size();
        ShuttingDown notice = ShuttingDown.forFleet(connected, lastStart, shutdownSpread);
        for (Channel c : all) {
            c.pipeline().fireUserEventTriggered(notice);
        }
        boolean done = all.newCloseFuture().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
        int left = all.size();
        if (!done) {
            all.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        log.info("stopping: told {} agent connections to come back from {} s to {} s from now; {} ({} ms)", connected,
                String.format(Locale.ROOT, "%.1f", notice.retryAfterMs() / 1000.0),
                String.format(Locale.ROOT, "%.1f", (notice.retryAfterMs() + notice.spreadMs()) / 1000.0),
                done ? "every pending commit finished and was acknowledged" : left + " still busy were closed after " + timeout.toSeconds() + " s",
                (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() {
        initializer.stopAccepting();
        channel.close().syncUninterruptibly();
        all.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        enrollExecutor.shutdownNow();
    }
}

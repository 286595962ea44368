package io.firstline.simulator;

import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.proto.Envelope;
import io.firstline.proto.Heartbeat;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.wire.Framing;
import io.firstline.wire.WireProtocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Agents that misbehave among the simulated fleet, each with an enrolled
 * identity of its own so that it gets past TLS and the Hello like any agent,
 * then: {@link Kind#STALL} falls silent (the console's idle watch ends it,
 * {@code reason="idle_timeout"}); {@link Kind#FLOOD} sends heartbeats as fast
 * as the socket takes them (the flood guard, {@code rate_limited});
 * {@link Kind#OVERSIZE} announces a frame over the 1 MiB cap
 * ({@code oversize}). Each starts over a second after its connection ends,
 * so they misbehave for the whole run; the console counts each by reason
 * while the well-behaved agents' latency is measured as usual.
 */
final class Misbehaving implements AutoCloseable {
    /** What a misbehaving agent does once welcomed. */
    enum Kind {
        STALL, FLOOD, OVERSIZE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final EventLoopGroup loops;
    private final ConsoleAddress console;
    private final Map<Kind, AtomicLong> connections = new EnumMap<>(Kind.class);
    private volatile boolean stopped;

    Misbehaving(List<ConsoleAddress> consoles) {
        this.loops = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sim-misbehaving", true), NioIoHandler.newFactory());
        this.console = consoles.get(0);
        for (Kind k : Kind.values()) {
            connections.put(k, new AtomicLong());
        }
    }

    /** Starts one agent of {@code kind} on {@code identity} (not one the well-behaved fleet uses). */
    void start(Kind kind, AgentCredentials identity) {
        connect(kind, identity.agentId(), identity.clientContext());
    }

    /** Connections made by each kind so far, as {@code stall=N flood=N oversize=N}. */
    String connections() {
        StringBuilder s = new StringBuilder();
        for (Kind k : Kind.values()) {
            s.append(s.length() == 0 ? "" : " ").append(k.label()).append('=').append(connections.get(k).get());
        }
        return s.toString();
    }

    private void connect(Kind kind, String agentId, SslContext tls) {
        if (stopped) {
            return;
        }
        ChannelFuture f = new Bootstrap().group(loops).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                Framing.addCodec(ch.pipeline(), WireProtocol.DEFAULT_MAX_FRAME_BYTES);
                ch.pipeline().addLast("behaviour", new Behaviour(kind, agentId));
            }
        }).connect(console.host(), console.port());
        f.addListener(done -> {
            if (done.isSuccess()) {
                connections.get(kind).incrementAndGet();
                f.channel().closeFuture().addListener(c -> again(kind, agentId, tls));
            } else {
                again(kind, agentId, tls);
            }
        });
    }

    private void again(Kind kind, String agentId, SslContext tls) {
        if (!stopped) {
            loops.next().schedule(() -> connect(kind, agentId, tls), 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        stopped = true;
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Says Hello after the handshake, then misbehaves once welcomed; reads and drops whatever the console sends. */
    private static final class Behaviour extends SimpleChannelInboundHandler<Envelope> {
        private final Kind kind;
        private final String agentId;
        private boolean welcomed;

        Behaviour(Kind kind, String agentId) {
            this.kind = kind;
            this.agentId = agentId;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent hs && hs.isSuccess()) {
                long epoch = System.currentTimeMillis();
                ctx.writeAndFlush(Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId(agentId).setBootEpoch(epoch)
                        .setAgentVersion(SimulatedAgent.VERSION).setProtocolVersion(WireProtocol.VERSION)
                        .setMinProtocolVersion(WireProtocol.MIN_VERSION)
                        .setHost(HostFacts.newBuilder().setHostname(agentId))).build(), ctx.voidPromise());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Envelope msg) {
            if (welcomed || !msg.hasWelcome()) {
                return;
            }
            welcomed = true;
            switch (kind) {
                case STALL -> {
                    // Silent from now on: no sample, no heartbeat.
                }
                case FLOOD -> flood(ctx.channel());
                case OVERSIZE -> {
                    // A length over the cap, written under the framing (so not re-framed), through TLS.
                    ByteBuf raw = ctx.alloc().buffer(4 + 4096).writeInt(WireProtocol.DEFAULT_MAX_FRAME_BYTES + 1).writeZero(4096);
                    ctx.pipeline().context(Framing.FRAME_PREPENDER).writeAndFlush(raw);
                }
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (welcomed && kind == Kind.FLOOD) {
                flood(ctx.channel());
            }
            ctx.fireChannelWritabilityChanged();
        }

        /**
         * Writes heartbeats as fast as the socket takes them, a batch at a time: the misfits share one event
         * loop, and a flood that never let go of it kept the others from misbehaving at all (the oversize one
         * was not counted in a short run once the console read the flood more slowly).
         */
        private static void flood(Channel ch) {
            Envelope beat = Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setAgentTimeMs(1)).build();
            for (int i = 0; i < 256 && ch.isActive() && ch.isWritable(); i++) {
                ch.write(beat, ch.voidPromise());
            }
            ch.flush();
            if (ch.isActive() && ch.isWritable()) {
                ch.eventLoop().execute(() -> flood(ch));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

package io.firstline.console.ingest;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.Ack;
import io.firstline.proto.Envelope;
import io.firstline.proto.Heartbeat;
import io.firstline.proto.Hello;
import io.firstline.proto.Refuse;
import io.firstline.proto.Welcome;
import io.firstline.wire.WireProtocol;
import io.firstline.wire.WireRejection;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent connection, from the console's side: wait for Hello (within the
 * handshake timeout), answer Welcome or Refuse, then apply each sequenced
 * message to the fleet state and acknowledge it. Anything out of order closes
 * this connection only, with its reason counted.
 */
final class AgentSession extends SimpleChannelInboundHandler<Envelope> {
    private static final Logger log = LoggerFactory.getLogger(AgentSession.class);
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final ConsoleConfig config;
    private final FleetState fleet;
    private final IngestMetrics metrics;
    private final String consoleId;
    private final FaultPort faults;
    private FleetState.Session session;
    private String agentId;
    private ScheduledFuture<?> handshakeTimer;
    // Acks are cumulative: while a fault event is being committed, later acks wait for it.
    private int pendingCommits;
    private long heldAck;

    AgentSession(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId) {
        this(config, fleet, metrics, consoleId, FaultPort.NONE);
    }

    AgentSession(ConsoleConfig config, FleetState fleet, IngestMetrics metrics, String consoleId, FaultPort faults) {
        this.faults = faults;
        this.config = config;
        this.fleet = fleet;
        this.metrics = metrics;
        this.consoleId = consoleId;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshakeTimer = ctx.executor().schedule(() -> {
            if (session == null) {
                reject(ctx, WireRejection.HANDSHAKE_TIMEOUT, "no Hello within " + config.handshakeTimeout().toMillis() + " ms");
            }
        }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope msg) {
        long start = System.nanoTime();
        if (session == null) {
            if (msg.getBodyCase() == Envelope.BodyCase.HELLO) {
                hello(ctx, msg.getHello());
            } else if (msg.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET) {
                reject(ctx, WireRejection.UNKNOWN_TYPE, "envelope without a known body before Hello");
            } else {
                reject(ctx, WireRejection.PROTOCOL, msg.getBodyCase() + " before Hello");
            }
            return;
        }
        switch (msg.getBodyCase()) {
            case SAMPLE -> {
                if (session.sample(msg.getSequence(), msg.getSample())) {
                    metrics.samples.increment();
                } else {
                    metrics.duplicates.increment();
                }
                ack(ctx, msg.getSequence(), start);
            }
            case INVENTORY -> {
                if (session.inventory(msg.getSequence(), msg.getInventory())) {
                    metrics.inventories.increment();
                } else {
                    metrics.duplicates.increment();
                }
                ack(ctx, msg.getSequence(), start);
            }
            case SERIES_DICTIONARY -> {
                if (msg.getSeriesDictionary().getBootEpoch() == session.bootEpoch()) {
                    session.define(msg.getSeriesDictionary().getSeriesList());
                }
                session.heard();
            }
            case FAULT_RAISED, FAULT_CLEARED -> fault(ctx, msg, start);
            case HEARTBEAT -> {
                session.heard();
                ctx.writeAndFlush(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                        .setAgentTimeMs(msg.getHeartbeat().getAgentTimeMs())
                        .setConsoleTimeMs(System.currentTimeMillis())).build(), ctx.voidPromise());
            }
            case BODY_NOT_SET -> reject(ctx, WireRejection.UNKNOWN_TYPE, "envelope without a known body");
            default -> reject(ctx, WireRejection.PROTOCOL, "unexpected " + msg.getBodyCase() + " from an agent");
        }
    }

    private void hello(ChannelHandlerContext ctx, Hello h) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (!AGENT_ID.matcher(h.getAgentId()).matches() || h.getBootEpoch() == 0) {
            refuse(ctx, Refuse.Reason.BAD_HELLO, WireRejection.PROTOCOL, "Hello needs a valid agent_id and boot_epoch");
            return;
        }
        int version = WireProtocol.negotiate(h.getMinProtocolVersion(), h.getProtocolVersion());
        if (version < 0) {
            refuse(ctx, Refuse.Reason.UNSUPPORTED_PROTOCOL, WireRejection.UNSUPPORTED_VERSION,
                    "agent speaks protocol " + h.getMinProtocolVersion() + "-" + h.getProtocolVersion());
            return;
        }
        session = fleet.connect(h, String.valueOf(ctx.channel().remoteAddress()));
        ctx.writeAndFlush(Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                .setProtocolVersion(version)
                .setSampleIntervalMs((int) config.sampleInterval().toMillis())
                .setAckedSequence(session.ackedAtHello())
                .setConsoleTimeMs(System.currentTimeMillis())
                .setConsoleId(consoleId)).build(), ctx.voidPromise());
        faults.ruleSet(h).ifPresent(rules -> ctx.writeAndFlush(rules, ctx.voidPromise()));
        agentId = h.getAgentId();
        faults.connected(agentId, h, ctx.channel());
        log.info("agent {} ({}) connected from {}", h.getAgentId(), h.getHost().getHostname(), ctx.channel().remoteAddress());
    }

    /** Commits a fault event off the event loop; its ack (and any after it) waits for the commit. */
    private void fault(ChannelHandlerContext ctx, Envelope msg, long start) {
        session.heard();
        pendingCommits++;
        faults.apply(agentId, session.bootEpoch(), msg.getSequence(), msg).whenComplete((ok, failure) ->
                ctx.executor().execute(() -> {
                    pendingCommits--;
                    if (failure != null) {
                        log.error("could not commit a fault event of agent {}; closing so that it is sent again", agentId, failure);
                        metrics.rejected(WireRejection.INTERNAL);
                        ctx.close();
                        return;
                    }
                    metrics.faults.increment();
                    ack(ctx, msg.getSequence(), start);
                }));
    }

    private void ack(ChannelHandlerContext ctx, long sequence, long startNanos) {
        metrics.latency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        if (pendingCommits > 0) {
            heldAck = Math.max(heldAck, sequence);
            return;
        }
        long upTo = Math.max(sequence, heldAck);
        heldAck = 0;
        if (upTo != 0 && ctx.channel().isActive()) {
            ctx.writeAndFlush(Envelope.newBuilder().setAck(Ack.newBuilder()
                    .setBootEpoch(session.bootEpoch()).setSequence(upTo)).build(), ctx.voidPromise());
        }
    }

    private void refuse(ChannelHandlerContext ctx, Refuse.Reason reason, WireRejection counted, String message) {
        metrics.rejected(counted);
        log.warn("refused agent connection from {}: {}", ctx.channel().remoteAddress(), message);
        ctx.writeAndFlush(Envelope.newBuilder().setRefuse(Refuse.newBuilder().setReason(reason).setMessage(message)
                        .setMinProtocolVersion(WireProtocol.MIN_VERSION).setMaxProtocolVersion(WireProtocol.VERSION)).build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void reject(ChannelHandlerContext ctx, WireRejection reason, String detail) {
        if (!ctx.channel().isActive()) {
            return;
        }
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
        if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
            reject(ctx, WireRejection.IDLE_TIMEOUT, "silent for " + config.offlineAfter().toMillis() + " ms");
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        WireRejection reason = WireRejection.classify(cause);
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
        }
        ctx.fireChannelInactive();
    }
}

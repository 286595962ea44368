package io.firstline.agent.link;

import io.firstline.proto.Envelope;
import io.firstline.proto.Heartbeat;
import io.firstline.proto.Refuse;
import io.firstline.proto.Welcome;
import io.firstline.wire.WireProtocol;
import io.firstline.wire.WireRejection;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection's conversation with the console, from the agent's side. */
final class LinkHandler extends SimpleChannelInboundHandler<Envelope> {
    private static final Logger log = LoggerFactory.getLogger(LinkHandler.class);

    private final AgentLink link;
    private String closeReason = "closed by the console";
    /** The console said why it closes: a TLS failure from the close that follows does not replace that reason. */
    private boolean refusedByConsole;

    LinkHandler(AgentLink link) {
        this.link = link;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Envelope.newBuilder().setHello(link.hello()).build(), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope msg) {
        switch (msg.getBodyCase()) {
            case WELCOME -> welcome(ctx, msg.getWelcome());
            case ACK -> link.onAck(ctx.channel(), msg.getAck());
            case HEARTBEAT -> heartbeat(msg.getHeartbeat());
            case RULE_SET -> link.onRuleSet(msg.getRuleSet());
            case TICKET_STATUS -> link.onTicketStatus(msg.getTicketStatus());
            case DIAGNOSTIC_REQUEST -> link.onDiagnosticRequest(msg.getDiagnosticRequest());
            case DIAGNOSTIC_CANCEL -> link.onDiagnosticCancel(msg.getDiagnosticCancel().getRequestId());
            case REFUSE -> refused(ctx, msg.getRefuse());
            // Newer consoles may send messages this agent does not know; ignore them.
            default -> log.debug("ignoring {} from console", msg.getBodyCase());
        }
    }

    /**
     * Logged by the link with the console's address, like every failed
     * attempt. A refusal that says when to come back (OVERLOADED before TLS,
     * SHUTTING_DOWN, STORE_UNAVAILABLE) sets when this console may be tried
     * again, and the link moves on to its next address ({@link Failover});
     * its reason is kept free of the varying delay, so repeated refusals are
     * one rate-limited log line.
     */
    private void refused(ChannelHandlerContext ctx, Refuse r) {
        long after = Integer.toUnsignedLong(r.getRetryAfterMs());
        long spread = Integer.toUnsignedLong(r.getRetrySpreadMs());
        if (after != 0 || spread != 0) {
            link.onRetryHint(after, spread);
            closeReason = r.getReason() == Refuse.Reason.SHUTTING_DOWN ? "the console is stopping"
                    : "the console refused this agent for now: " + r.getReason() + " (it said when to come back)";
        } else {
            closeReason = "the console refused this agent: " + r.getReason() + " " + r.getMessage();
        }
        refusedByConsole = true;
        ctx.close();
    }

    private void welcome(ChannelHandlerContext ctx, Welcome w) {
        if (w.getProtocolVersion() < WireProtocol.MIN_VERSION || w.getProtocolVersion() > WireProtocol.VERSION) {
            closeReason = "console chose unsupported protocol " + w.getProtocolVersion();
            ctx.close();
            return;
        }
        if (w.getSampleIntervalMs() > 0) {
            ctx.pipeline().replace(LinkInitializer.IDLE, LinkInitializer.IDLE, LinkInitializer.idleHandler(w.getSampleIntervalMs()));
        }
        link.onWelcome(ctx.channel(), w);
    }

    private void heartbeat(Heartbeat hb) {
        if (hb.getConsoleTimeMs() != 0 && hb.getAgentTimeMs() != 0) {
            long now = System.currentTimeMillis();
            long midpoint = hb.getAgentTimeMs() + (now - hb.getAgentTimeMs()) / 2;
            link.onClockOffset(hb.getConsoleTimeMs() - midpoint);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (!hs.isSuccess() && !refusedByConsole) {
                closeReason = describe(hs.cause());
            }
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(heartbeat(), ctx.voidPromise());
            } else if (idle.state() == IdleState.READER_IDLE) {
                closeReason = "console silent for three intervals";
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** A Heartbeat stamped with our clock now; the console echoes it with its own. */
    static Envelope heartbeat() {
        return Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setAgentTimeMs(System.currentTimeMillis())).build();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!refusedByConsole) {
            closeReason = describe(cause);
        }
        ctx.close();
    }

    /**
     * Why a connection attempt or connection failed, in words an operator can
     * act on (no stack trace, no hex dump of what a non-TLS peer sent).
     */
    static String describe(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof NotSslRecordException) {
            return "the peer does not speak TLS (is this the console's agent port, 7443 by default, and not its HTTP port?)";
        }
        if (t instanceof SslHandshakeTimeoutException) {
            return "TLS handshake timed out (the peer accepted the connection but never answered as a console)";
        }
        if (t instanceof ClosedChannelException) {
            return "the peer closed the connection during the TLS handshake";
        }
        String message = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
        WireRejection reason = WireRejection.classify(t);
        return switch (reason) {
            case TLS_ERROR -> "TLS handshake failed: " + message;
            case IO_ERROR, INTERNAL -> message;
            default -> reason.label() + ": " + message;
        };
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        link.onClosed(ctx.channel(), closeReason);
        ctx.fireChannelInactive();
    }
}

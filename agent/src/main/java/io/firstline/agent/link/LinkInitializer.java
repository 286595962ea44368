package io.firstline.agent.link;

import io.firstline.wire.Framing;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The agent side of the link, read top to bottom as bytes arrive:
 * the first byte (a plain refusal from an overloaded console, or TLS) →
 * TLS (client certificate, console CA trusted) → framing → idle watch → the
 * session handler.
 */
final class LinkInitializer extends ChannelInitializer<SocketChannel> {
    static final String IDLE = "idle";
    static final String TLS = "tls";
    /**
     * The TLS handshake's time from the connect. A console busy with a
     * returning fleet lets a connection wait, unread, for a handshake slot
     * ({@code agent.admissionWait}, up to 25 s) rather than refuse it and cost
     * the agent its session ticket; the agent gives it that time.
     */
    static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final AgentLink link;
    private final int maxFrameBytes;
    private final LinkSecurity security;

    LinkInitializer(AgentLink link, int maxFrameBytes, LinkSecurity security) {
        this.link = link;
        this.maxFrameBytes = maxFrameBytes;
        this.security = security;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // Naming the console lets the TLS session resume on the next connection to it (JDK: the client session cache is keyed by
        // host and port): no certificate check or signatures, for the agent or the console, after a reconnect or a console restart.
        ConsoleAddress console = link.attempting();
        SslHandler tls = console == null ? security.context().get().newHandler(ch.alloc())
                : security.context().get().newHandler(ch.alloc(), console.host(), console.port());
        tls.setHandshakeTimeoutMillis(TLS_HANDSHAKE_TIMEOUT.toMillis());
        ch.pipeline().addLast("plainRefusal", new PlainRefusalDecoder());
        ch.pipeline().addLast(TLS, tls);
        Framing.addCodec(ch.pipeline(), maxFrameBytes);
        ch.pipeline().addLast(IDLE, idleHandler(link.heartbeatInterval().toMillis()));
        ch.pipeline().addLast("session", new LinkHandler(link));
    }

    /**
     * Writes a heartbeat after 1.5 quiet intervals; gives up on a console silent for three. A link that carries a
     * sample every interval never sends one (a heartbeat after exactly one interval raced each sample and doubled
     * the messages of a healthy link); an idle link is still heard well within the console's three intervals.
     */
    static IdleStateHandler idleHandler(long intervalMs) {
        return new IdleStateHandler(3 * intervalMs + 5_000, heartbeatAfterMs(intervalMs), 0, TimeUnit.MILLISECONDS);
    }

    /** How long the link must be quiet (nothing written) before a heartbeat goes out. */
    static long heartbeatAfterMs(long intervalMs) {
        return intervalMs + intervalMs / 2;
    }
}

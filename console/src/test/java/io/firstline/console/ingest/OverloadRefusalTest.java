package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.Envelope;
import io.firstline.proto.Refuse;
import io.firstline.wire.EnvelopeDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Past {@code agent.maxHandshakes}, a new connection gets a plain
 * {@code Refuse(OVERLOADED)} with its return slot and no TLS at all; a
 * slot frees when a handshake's connection ends.
 */
class OverloadRefusalTest {
    private ConsoleConfig config = ConsoleConfig.defaults(Path.of("/tmp/unused")).withAdmission(1, Duration.ofSeconds(10))
            .withAdmissionWait(Duration.ZERO);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private AgentServerInitializer initializer() throws Exception {
        // Any TLS context shows where TLS would start; the refused connection never reaches it.
        return new AgentServerInitializer(config, new FleetState(Clock.systemUTC(), config.offlineAfter()), new IngestMetrics(registry),
                "console-test", SslContextBuilder.forClient().build(), null, Runnable::run, new LiveConnections(), IngestPorts.NONE,
                new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE));
    }

    /** Reads one frame as the agent's first bytes: the length's top byte is 0, never a TLS record type. */
    static Refuse plainRefusal(ByteBuf out) {
        assertEquals(0, out.getByte(out.readerIndex()), "a plain frame, not a TLS record");
        int length = out.readInt();
        assertEquals(length, out.readableBytes(), "one frame, nothing after it");
        Envelope e = EnvelopeDecoder.parse(out);
        out.release();
        return e.getRefuse();
    }

    @Test
    void pastTheCapAConnectionIsRefusedBeforeTlsWithAReturnSlot() throws Exception {
        AgentServerInitializer init = initializer();
        EmbeddedChannel admitted = new EmbeddedChannel(init);
        assertNotNull(admitted.pipeline().get(SslHandler.class), "the first is handshaking");

        long beforeRefused = System.nanoTime() / 1_000_000;
        EmbeddedChannel refused = new EmbeddedChannel(init);
        assertTrue(refused.pipeline().get(SslHandler.class) == null, "no TLS for the second");
        Refuse r = plainRefusal(refused.readOutbound());
        assertEquals(Refuse.Reason.OVERLOADED, r.getReason());
        assertTrue(r.getRetryAfterMs() >= ReturnSlots.MIN_WAIT_MS, "retry after " + r.getRetryAfterMs());
        assertEquals(ReturnSlots.SPREAD_MS, r.getRetrySpreadMs());
        refused.runPendingTasks();
        // On a socket the console half-closes and drops the agent's ClientHello until the agent closes (AdmissionTest).
        assertFalse(refused.isActive(), "closed once written");
        assertEquals(1, registry.get("firstline.connections.rejected").tag("reason", "overloaded").counter().count());

        // The next refusal's slot comes after the first one's.
        EmbeddedChannel later = new EmbeddedChannel(init);
        long afterLater = System.nanoTime() / 1_000_000;
        long laterRetry = plainRefusal(later.readOutbound()).getRetryAfterMs();
        assertTrue(afterLater + laterRetry + 1 >= beforeRefused + r.getRetryAfterMs() + 10,
                "the next slot is at least one slot (10 ms at 100 a second) after the first");

        admitted.close();
        EmbeddedChannel next = new EmbeddedChannel(init);
        assertNotNull(next.pipeline().get(SslHandler.class), "a slot freed when the handshaking connection ended");
        for (EmbeddedChannel c : new EmbeddedChannel[] {admitted, refused, later, next}) {
            c.finishAndReleaseAll();
        }
    }

    /**
     * With an admission wait (the default), the connection past the cap waits
     * unread instead, with no TLS yet, and gets its handshake when the slot
     * frees: its ClientHello, and the session ticket in it, are not spent on a
     * refusal.
     */
    @Test
    void withAnAdmissionWaitTheConnectionPastTheCapWaitsForTheSlot() throws Exception {
        config = config.withAdmissionWait(ConsoleConfig.DEFAULT_ADMISSION_WAIT);
        AgentServerInitializer init = initializer();
        EmbeddedChannel admitted = new EmbeddedChannel(init);
        EmbeddedChannel waiting = new EmbeddedChannel(init);
        assertTrue(waiting.pipeline().get(SslHandler.class) == null, "no TLS while it waits");
        assertFalse(waiting.config().isAutoRead(), "not read while it waits");
        assertTrue(waiting.outboundMessages().isEmpty(), "and not refused");
        assertEquals(1, registry.get("firstline.agent.handshakes.waiting").gauge().value());

        admitted.close();
        waiting.runPendingTasks();
        assertNotNull(waiting.pipeline().get(SslHandler.class), "its turn came when the slot freed");
        assertTrue(waiting.config().isAutoRead());
        assertEquals(0, registry.get("firstline.agent.handshakes.waiting").gauge().value());
        assertEquals(1, registry.get("firstline.connections.waited").counter().count());
        assertEquals(0, registry.get("firstline.connections.rejected").tag("reason", "overloaded").counter().count());
        admitted.finishAndReleaseAll();
        waiting.finishAndReleaseAll();
    }
}

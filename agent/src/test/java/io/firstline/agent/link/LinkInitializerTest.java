package io.firstline.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent's idle watch: a heartbeat only after 1.5 quiet intervals, so a link carrying samples sends none. */
class LinkInitializerTest {
    private static final long INTERVAL_MS = 10_000;

    private final List<IdleState> events = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel(LinkInitializer.idleHandler(INTERVAL_MS), new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent e) {
                events.add(e.state());
            }
        }
    });

    private void advance(long ms) {
        ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aLinkThatSendsEveryIntervalSendsNoHeartbeat() {
        ch.freezeTime();
        for (int i = 0; i < 30; i++) {
            // The sample goes out a little late, as a real collection does: still no heartbeat in between.
            advance(INTERVAL_MS + 400);
            ch.writeOutbound("sample " + i);
            ch.readOutbound();
            ch.writeInbound("ack " + i); // the console answers, so the reader side stays quiet too
            ch.readInbound();
        }
        assertEquals(List.of(), events);
        ch.finishAndReleaseAll();
    }

    @Test
    void aQuietLinkSendsAHeartbeatAfterOneAndAHalfIntervals() {
        ch.freezeTime();
        ch.writeOutbound("sample");
        ch.readOutbound();
        ch.writeInbound("ack");
        ch.readInbound();
        advance(INTERVAL_MS + INTERVAL_MS / 2 - 100);
        assertEquals(List.of(), events);
        advance(200);
        assertEquals(List.of(IdleState.WRITER_IDLE), events);
        ch.finishAndReleaseAll();
    }
}

package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HandshakeLimiterTest {
    private static Promise<Object> handshake() {
        return new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
    }

    /** Admits {@code ch} and says what happened: "start" (it has a slot) or "refuse". */
    private static String admit(HandshakeLimiter l, EmbeddedChannel ch) {
        String[] said = {"waits"};
        l.admit(ch, c -> said[0] = "start", c -> said[0] = "refuse");
        return said[0];
    }

    @Test
    void admitsUpToTheCapAndFreesASlotWhenAHandshakeEndsEitherWay() {
        HandshakeLimiter l = new HandshakeLimiter(2);
        Promise<Object> a = handshake();
        Promise<Object> b = handshake();
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel c = new EmbeddedChannel();
        assertEquals("start", admit(l, first));
        l.hold(first, a);
        assertEquals("start", admit(l, c));
        l.hold(c, b);
        assertEquals("refuse", admit(l, new EmbeddedChannel()), "the third is refused before any TLS");
        a.setSuccess(null);
        assertEquals(1, l.inProgress());
        EmbeddedChannel third = new EmbeddedChannel();
        assertEquals("start", admit(l, third));
        l.hold(third, handshake());
        c.close();
        b.setFailure(new IllegalStateException("closed")); // a close and a failure free the slot once
        assertEquals(1, l.inProgress());
        assertEquals("start", admit(l, new EmbeddedChannel()));
        l.release(); // a slot taken but not used (making the TLS handler failed) is given back
        assertEquals(1, l.inProgress());
    }

    /**
     * Past the cap a connection waits, unread, and starts when a slot frees,
     * first come first served; one that waited past the admission wait is
     * refused instead, as is one that finds the queue full; a stop closes
     * those still waiting.
     */
    @Test
    void pastTheCapConnectionsWaitUnreadForASlotInTurn() {
        AtomicLong now = new AtomicLong();
        HandshakeLimiter l = new HandshakeLimiter(1, 4_000_000_000L, () -> 2, now::get);
        List<String> said = new ArrayList<>();
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        EmbeddedChannel third = new EmbeddedChannel();
        EmbeddedChannel fourth = new EmbeddedChannel();
        Promise<Object> firstHandshake = handshake();

        assertFalse(l.admit(first, ch -> said.add("start 1"), ch -> said.add("refuse 1")));
        l.hold(first, firstHandshake);
        assertTrue(l.admit(second, ch -> said.add("start 2"), ch -> said.add("refuse 2")));
        assertTrue(l.admit(third, ch -> said.add("start 3"), ch -> said.add("refuse 3")));
        assertFalse(l.admit(fourth, ch -> said.add("start 4"), ch -> said.add("refuse 4")), "the queue holds two");
        assertEquals(List.of("start 1", "refuse 4"), said);
        assertFalse(second.config().isAutoRead(), "a waiting connection is not read: its ClientHello waits in the socket");
        assertEquals(2, l.waiting());

        now.addAndGet(1_000_000_000L);
        firstHandshake.setSuccess(null);
        second.runPendingTasks();
        assertEquals(List.of("start 1", "refuse 4", "start 2"), said, "the first waiting starts on its own loop");
        assertTrue(second.config().isAutoRead());
        l.hold(second, handshake());
        assertEquals(1, l.inProgress());

        now.addAndGet(4_000_000_000L);
        second.close(); // its handshake ends: the third has waited five seconds by now
        third.runPendingTasks();
        assertEquals(List.of("start 1", "refuse 4", "start 2", "refuse 3"), said, "waited past the admission wait: refused");
        assertEquals(0, l.inProgress());

        EmbeddedChannel busy = new EmbeddedChannel();
        EmbeddedChannel late = new EmbeddedChannel();
        assertFalse(l.admit(busy, ch -> said.add("start 5"), ch -> said.add("refuse 5")));
        assertTrue(l.admit(late, ch -> said.add("start 6"), ch -> said.add("refuse 6")));
        l.close();
        assertFalse(late.isOpen(), "a stop closes the connections still waiting");
        assertEquals(0, l.waiting());
        EmbeddedChannel afterStop = new EmbeddedChannel();
        assertFalse(l.admit(afterStop, ch -> said.add("start 7"), ch -> said.add("refuse 7")), "no waiting after a stop");
        assertEquals("refuse 7", said.get(said.size() - 1));
    }

    @Test
    void withoutAnAdmissionWaitPastTheCapIsRefusedAtOnce() {
        HandshakeLimiter l = new HandshakeLimiter(1);
        List<String> said = new ArrayList<>();
        assertFalse(l.admit(new EmbeddedChannel(), ch -> said.add("start"), ch -> said.add("refuse")));
        assertFalse(l.admit(new EmbeddedChannel(), ch -> said.add("start"), ch -> said.add("refuse")));
        assertEquals(List.of("start", "refuse"), said);
    }
}

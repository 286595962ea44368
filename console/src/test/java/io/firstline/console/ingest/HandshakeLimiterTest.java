package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.Test;

class HandshakeLimiterTest {
    private static Promise<Object> handshake() {
        return new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
    }

    @Test
    void admitsUpToTheCapAndFreesASlotWhenAHandshakeEndsEitherWay() {
        HandshakeLimiter l = new HandshakeLimiter(2);
        Promise<Object> a = handshake();
        Promise<Object> b = handshake();
        EmbeddedChannel c = new EmbeddedChannel();
        assertTrue(l.tryAcquire());
        l.hold(new EmbeddedChannel(), a);
        assertTrue(l.tryAcquire());
        l.hold(c, b);
        assertFalse(l.tryAcquire(), "the third is refused before any TLS");
        a.setSuccess(null);
        assertEquals(1, l.inProgress());
        assertTrue(l.tryAcquire());
        l.hold(new EmbeddedChannel(), handshake());
        c.close();
        b.setFailure(new IllegalStateException("closed")); // a close and a failure free the slot once
        assertEquals(1, l.inProgress());
        assertTrue(l.tryAcquire());
        l.release(); // a slot taken but not used (making the TLS handler failed) is given back
        assertEquals(1, l.inProgress());
    }
}

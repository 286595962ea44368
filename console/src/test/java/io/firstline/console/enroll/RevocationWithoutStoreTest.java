package io.firstline.console.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.MutableClock;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.console.store.LosableStore;
import io.firstline.console.store.Store;
import io.firstline.console.store.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose store is unavailable cannot tell whether an agent's
 * certificate is revoked: the check refuses at once (fail closed), naming
 * the store, instead of holding a TLS handshake thread for the pool's
 * timeout; it answers again once the store is back.
 */
class RevocationWithoutStoreTest {
    @TempDir
    Path dir;

    @Test
    void theCheckRefusesAtOnceWhileTheStoreIsUnavailable() {
        MutableClock clock = new MutableClock();
        try (Store embedded = StoreKind.SQLITE.open(dir)) {
            LosableStore store = new LosableStore(embedded);
            Enrollment enrollment = new Enrollment(store, ConsoleCa.loadOrCreate(dir, "console-test", clock), clock);
            assertTrue(enrollment.storeAvailable());
            assertTrue(enrollment.isRevoked("agent-x", "01"), "never enrolled: refused");

            store.lose();
            long started = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> enrollment.isRevoked("agent-x", "01"));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 500, "at once, not after the pool's timeout");
            assertEquals("cannot check whether the certificate of agent agent-x is revoked: the store the test store is unavailable",
                    e.getMessage());
            assertFalse(enrollment.storeAvailable());
            assertEquals(0, store.callsWhileLost(), "the lost store was not asked");

            store.restore();
            assertTrue(enrollment.isRevoked("agent-x", "01"));
        }
    }
}

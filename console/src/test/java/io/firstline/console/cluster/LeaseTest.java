package io.firstline.console.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.MutableClock;
import io.firstline.console.store.Store;
import io.firstline.console.store.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** One node at a time holds a lease; when it stops renewing, another takes it over after the lease's duration. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class LeaseTest {
    @Parameter
    StoreKind storeKind;

    @TempDir
    Path dir;

    @Test
    void oneHolderAtATimeWithFailoverWhenItStopsRenewing() {
        MutableClock clock = new MutableClock();
        try (Store store = storeKind.open(dir)) {
            Lease a = new Lease(store, "console-rules", "node-a", clock);
            Lease b = new Lease(store, "console-rules", "node-b", clock);
            assertTrue(a.held());
            assertFalse(b.held());
            clock.advance(Duration.ofSeconds(3));
            assertTrue(a.held(), "renewed");
            clock.advance(Duration.ofSeconds(3));
            assertFalse(b.held(), "A renewed 3 s ago: still A's");
            assertEquals(Optional.of("node-a"), a.holder());

            clock.advance(Lease.DURATION.plusMillis(1)); // A died: no renewal
            assertTrue(b.held(), "expired: B takes it over");
            assertFalse(a.held(), "A is back, but B holds it now");
            assertEquals(Optional.of("node-b"), a.holder());

            b.release();
            assertTrue(a.held(), "released on shutdown: taken at once");
        }
    }
}

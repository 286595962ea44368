package io.firstline.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesEveryUnit() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(24), Durations.parse(" 24h "));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
    }

    @Test
    void rejectsWithTheTextInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("ten seconds"));
        assertTrue(e.getMessage().contains("'ten seconds'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-1s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("10"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
    }

    @Test
    void formatRoundTrips() {
        for (String s : new String[] {"250ms", "10s", "90s", "5m", "2h", "7d", "0s"}) {
            assertEquals(s, Durations.format(Durations.parse(s)));
        }
    }

    @Test
    void negotiatePicksHighestCommonVersion() {
        assertEquals(WireProtocol.VERSION, WireProtocol.negotiate(1, 99));
        assertEquals(-1, WireProtocol.negotiate(WireProtocol.VERSION + 1, WireProtocol.VERSION + 5));
    }
}

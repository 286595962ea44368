package io.firstline.console.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a stopping console asks of its agents: after its own start time, spread by the fleet's size. */
class ShuttingDownTest {
    @Test
    void aSmallFleetComesBackAfterTheStartTimeOverTheConfiguredSpread() {
        ShuttingDown s = ShuttingDown.forFleet(200, Duration.ofMillis(4_300), Duration.ofSeconds(10));
        assertEquals(5_300, s.retryAfterMs(), "1 s for the process to go and come, then as long as the last start took");
        assertEquals(10_000, s.spreadMs(), "200 agents fit in the configured spread");
    }

    @Test
    void aLargeFleetIsSpreadByItsSize() {
        assertEquals(20_000, ShuttingDown.forFleet(10_000, Duration.ZERO, Duration.ofSeconds(10)).spreadMs(), "2 ms an agent");
        assertEquals(119_000, ShuttingDown.forFleet(100_000, Duration.ZERO, Duration.ofSeconds(10)).spreadMs(),
                "the wait and the spread end within the 2 minutes an agent accepts");
        assertEquals(60_000, ShuttingDown.forFleet(100_000, Duration.ofMinutes(5), Duration.ofSeconds(10)).spreadMs(),
                "after the longest wait, what is left of the 2 minutes");
        assertEquals(30_000, ShuttingDown.forFleet(10_000, Duration.ZERO, Duration.ofSeconds(30)).spreadMs(),
                "a longer configured spread stands");
    }

    @Test
    void theWaitIsBounded() {
        assertEquals(1_000, ShuttingDown.forFleet(1, Duration.ZERO, Duration.ZERO).retryAfterMs(), "never sooner than 1 s");
        assertEquals(60_000, ShuttingDown.forFleet(1, Duration.ofMinutes(10), Duration.ZERO).retryAfterMs(),
                "a start that took minutes once is not what the agents wait for");
        assertEquals(0, ShuttingDown.forFleet(0, Duration.ZERO, Duration.ZERO).spreadMs());
    }
}

package io.firstline.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The one rule for the next console address and its time, on a fake clock. */
class FailoverTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private Failover failover(int addresses) {
        return new Failover(addresses, new Backoff(new SplittableRandom(5)), now::get);
    }

    private void pass(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static void within(Duration d, long fromMs, long toMs) {
        assertTrue(d.toMillis() >= fromMs && d.toMillis() <= toMs, d + " not within " + fromMs + "-" + toMs + " ms");
    }

    @Test
    void aStoppingNodeSendsAnAgentWithSeveralAddressesToTheNextAtOnce() {
        Failover f = failover(2);
        f.welcomed(); // connected to the first

        Failover.Next next = f.refused(1_000, 10_000); // Refuse(SHUTTING_DOWN): 1 s plus up to 10 s

        assertEquals(1, next.index(), "the second address");
        assertEquals(Duration.ZERO, next.delay(), "no spread wait: the other node can take the agent now");
    }

    @Test
    void anAgentWithOneAddressKeepsTheWaitItWasAskedFor() {
        Failover f = failover(1);
        f.welcomed();

        Failover.Next next = f.refused(1_000, 10_000);

        assertEquals(0, next.index());
        within(next.delay(), 1_000, 11_000);
        assertTrue(next.delay().toMillis() > 1_000, "a random part of the spread too (seeded): " + next.delay());
    }

    @Test
    void aNodeThatRefusedIsNotTriedBeforeItsTimeWhenTheRoundComesBackToIt() {
        Failover f = failover(2);
        Failover.Next toB = f.refused(5_000, 0); // A is overloaded: its slot is in 5 s
        assertEquals(new Failover.Next(1, Duration.ZERO), toB);

        pass(Duration.ofMillis(300));
        Failover.Next toA = f.refused(8_000, 0); // B is overloaded too
        assertEquals(0, toA.index());
        assertEquals(Duration.ofMillis(4_700), toA.delay(), "A's own slot, not B's and not at once");

        pass(toA.delay());
        Failover.Next backToB = f.attemptFailed(); // A's TCP connect fails now: B, no sooner than B asked
        assertEquals(1, backToB.index());
        assertEquals(Duration.ofMillis(3_300), backToB.delay());
    }

    @Test
    void ordinaryFailuresMoveOnWithTheBackoffAndALostConnectionStays() {
        Failover f = failover(3);
        Failover.Next n1 = f.attemptFailed();
        assertEquals(1, n1.index());
        within(n1.delay(), 800, 1_200);
        Failover.Next n2 = f.attemptFailed();
        assertEquals(2, n2.index());
        within(n2.delay(), 1_280, 1_920);
        f.welcomed();

        Failover.Next lost = f.lost();
        assertEquals(2, lost.index(), "a connection lost without a word: the same node first");
        within(lost.delay(), 0, 3_000);
        Failover.Next after = f.attemptFailed();
        assertEquals(0, after.index());
        within(after.delay(), 800, 1_200);
    }

    @Test
    void aHintFromALongAgoRefusalNoLongerHoldsAndAWelcomeForgetsIt() {
        Failover f = failover(2);
        f.refused(2_000, 0); // A
        pass(Duration.ofSeconds(3));
        Failover.Next n = f.attemptFailed(); // B failed: back to A, whose time has passed
        assertEquals(0, n.index());
        within(n.delay(), 800, 1_200);

        f.refused(2_000, 0); // A again, then B welcomes us and later drops without a word
        f.welcomed();
        assertEquals(1, f.lost().index());
    }
}

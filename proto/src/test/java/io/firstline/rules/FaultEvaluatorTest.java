package io.firstline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultEvaluatorTest {
    private final FakeClock clock = new FakeClock();
    private final FaultEvaluator eval = new FaultEvaluator(clock);

    static Rule threshold(String id, String metric, Comparison c, double threshold, Duration forD, double recover,
                          Duration recoverFor) {
        return new Rule(id, Rule.Kind.THRESHOLD, metric, "*", c, threshold, forD, recover, recoverFor, false,
                Rule.Flap.NONE, Duration.ZERO, Duration.ZERO, Duration.ZERO, Severity.WARNING, Scope.ANY, Rule.Text.NONE);
    }

    private static Rule withFlap(Rule r, Rule.Flap flap) {
        return new Rule(r.id(), r.kind(), r.metric(), r.resource(), r.comparison(), r.threshold(), r.forDuration(),
                r.recoverThreshold(), r.recoverFor(), r.requireOkFirst(), flap, r.staleAfter(), r.horizon(), r.window(),
                r.severity(), r.scope(), r.text());
    }

    private final Rule disk = threshold("disk_full", "fs.used_ratio", Comparison.ABOVE, 0.9, Duration.ofSeconds(60),
            0.85, Duration.ofSeconds(30));

    @Test
    void raisesOnlyAfterTheConditionHeldForItsDuration() {
        eval.setRules(List.of(disk));
        assertEquals(List.of(), eval.observe("fs.used_ratio", "/", 0.95));
        clock.advanceSeconds(59);
        assertEquals(List.of(), eval.observe("fs.used_ratio", "/", 0.95));
        clock.advanceSeconds(1);
        List<Transition> t = eval.observe("fs.used_ratio", "/", 0.96);
        assertEquals(1, t.size());
        assertTrue(t.get(0).raised());
        assertEquals("/", t.get(0).resource());
        assertEquals(0.96, t.get(0).value());
        assertEquals(Duration.ofSeconds(60), Duration.between(t.get(0).since(), t.get(0).at()));
        clock.advanceSeconds(10);
        assertEquals(List.of(), eval.observe("fs.used_ratio", "/", 0.97), "raised once, not again");
    }

    @Test
    void aDipBelowTheThresholdRestartsTheForDuration() {
        eval.setRules(List.of(disk));
        eval.observe("fs.used_ratio", "/", 0.95);
        clock.advanceSeconds(50);
        eval.observe("fs.used_ratio", "/", 0.5);
        clock.advanceSeconds(10);
        assertEquals(List.of(), eval.observe("fs.used_ratio", "/", 0.95));
        clock.advanceSeconds(59);
        assertEquals(List.of(), eval.observe("fs.used_ratio", "/", 0.95));
    }

    @Test
    void tickRaisesTheMomentTheDurationPassesWithoutANewValue() {
        eval.setRules(List.of(disk));
        eval.observe("fs.used_ratio", "/", 0.95);
        clock.advanceSeconds(30);
        assertEquals(List.of(), eval.tick());
        clock.advanceSeconds(30);
        List<Transition> t = eval.tick();
        assertEquals(1, t.size());
        assertTrue(t.get(0).raised());
    }

    @Test
    void hysteresisKeepsTheFaultBetweenRecoveryAndThreshold() {
        eval.setRules(List.of(disk));
        eval.observe("fs.used_ratio", "/", 0.95);
        clock.advanceSeconds(60);
        assertEquals(1, eval.observe("fs.used_ratio", "/", 0.95).size());
        // 0.87 is below the threshold but above the recovery threshold: still a fault.
        for (int i = 0; i < 10; i++) {
            clock.advanceSeconds(30);
            assertEquals(List.of(), eval.observe("fs.used_ratio", "/", 0.87));
        }
        assertEquals(1, eval.active().size());
        clock.advanceSeconds(1);
        assertEquals(List.of(), eval.observe("fs.used_ratio", "/", 0.80));
        clock.advanceSeconds(29);
        assertEquals(List.of(), eval.observe("fs.used_ratio", "/", 0.80));
        clock.advanceSeconds(1);
        List<Transition> t = eval.observe("fs.used_ratio", "/", 0.80);
        assertEquals(1, t.size());
        assertEquals(Transition.Type.CLEARED, t.get(0).type());
        assertEquals("recovered", t.get(0).reason());
        assertEquals(List.of(), eval.active());
    }

    @Test
    void recoveryInterruptedByABadValueStaysRaised() {
        eval.setRules(List.of(disk));
        eval.observe("fs.used_ratio", "/", 0.95);
        clock.advanceSeconds(60);
        eval.observe("fs.used_ratio", "/", 0.95);
        clock.advanceSeconds(1);
        eval.observe("fs.used_ratio", "/", 0.5);
        clock.advanceSeconds(20);
        eval.observe("fs.used_ratio", "/", 0.88);
        clock.advanceSeconds(20);
        assertEquals(List.of(), eval.observe("fs.used_ratio", "/", 0.5), "recovery restarted at 0.5");
        clock.advanceSeconds(30);
        assertEquals(1, eval.tick().size());
    }

    @Test
    void eachResourceIsItsOwnFault() {
        eval.setRules(List.of(threshold("x", "fs.used_ratio", Comparison.ABOVE, 0.9, Duration.ZERO, 0.9, Duration.ZERO)));
        assertEquals(1, eval.observe("fs.used_ratio", "/", 0.95).size());
        assertEquals(1, eval.observe("fs.used_ratio", "/home", 0.95).size());
        assertEquals(List.of(), eval.observe("fs.used_ratio", "/var", 0.5));
        assertEquals(2, eval.active().size());
        assertEquals(List.of(), eval.observe("cpu.usage_ratio", "", 1.0), "other metrics are ignored");
    }

    private int flaps(FaultEvaluator e, int cycles) {
        int transitions = 0;
        for (int i = 0; i < cycles; i++) {
            transitions += e.observe("net.up", "eth0", 0).size();
            clock.advanceSeconds(10);
            transitions += e.observe("net.up", "eth0", 1).size();
            clock.advanceSeconds(10);
            transitions += e.observe("net.up", "eth0", 1).size();
            clock.advanceSeconds(10);
        }
        return transitions;
    }

    @Test
    void flapDampingKeepsAFlappingFaultRaisedInsteadOfChurning() {
        Rule link = threshold("link_down", "net.up", Comparison.EQUAL, 0, Duration.ZERO, 0, Duration.ofSeconds(5));
        FaultEvaluator undamped = new FaultEvaluator(clock);
        undamped.setRules(List.of(link));
        assertEquals(20, flaps(undamped, 10), "without damping: raise and clear every cycle");

        eval.setRules(List.of(withFlap(link, new Rule.Flap(Duration.ofMinutes(10), 3, Duration.ofMinutes(5)))));
        int transitions = flaps(eval, 10);
        assertEquals(5, transitions, "three raises, two clears, then held raised");
        assertEquals(1, eval.active().size());
        // Once steady for the hold, it clears.
        eval.observe("net.up", "eth0", 1);
        clock.advance(Duration.ofMinutes(5));
        List<Transition> t = eval.tick();
        assertEquals(1, t.size());
        assertEquals(Transition.Type.CLEARED, t.get(0).type());
    }

    @Test
    void requireOkFirstRaisesOnAChangeNotOnAStateSeenFromTheStart() {
        Rule ro = new Rule("fs_ro", Rule.Kind.THRESHOLD, "fs.read_only", "*", Comparison.EQUAL, 1, Duration.ZERO, 1,
                Duration.ZERO, true, Rule.Flap.NONE, Duration.ZERO, Duration.ZERO, Duration.ZERO, Severity.CRITICAL,
                Scope.ANY, Rule.Text.NONE);
        eval.setRules(List.of(ro));
        assertEquals(List.of(), eval.observe("fs.read_only", "/snap/core", 1), "read-only since we first saw it");
        assertEquals(List.of(), eval.observe("fs.read_only", "/", 0));
        assertEquals(1, eval.observe("fs.read_only", "/", 1).size(), "turned read-only");
    }

    /** Raised while {@code net.up} is 0; cleared with "no data" once the series has been silent for two minutes. */
    private final Rule linkDown = new Rule("x", Rule.Kind.THRESHOLD, "net.up", "*", Comparison.EQUAL, 0, Duration.ZERO, 0,
            Duration.ZERO, false, Rule.Flap.NONE, Duration.ofMinutes(2), Duration.ZERO, Duration.ZERO, Severity.WARNING, Scope.ANY,
            Rule.Text.NONE);

    @Test
    void aFaultWhoseSeriesDisappearsClearsWithNoData() {
        eval.setRules(List.of(linkDown));
        assertEquals(1, eval.observe("net.up", "usb0", 0).size());
        clock.advanceSeconds(119);
        assertEquals(List.of(), eval.tick());
        clock.advanceSeconds(1);
        List<Transition> t = eval.tick();
        assertEquals("no data", t.get(0).reason());
    }

    /**
     * A settled evaluator's ticks have nothing to look at (the console ticks
     * every agent's once a second, between values ten seconds apart), yet
     * each transition a tick owes still fires on time: a stale fault's "no
     * data", and a pending fault once a value after a quiet spell started it.
     */
    @Test
    void ticksBetweenValuesFireEachDueTransitionOnTime() {
        eval.setRules(List.of(linkDown, disk));
        assertEquals(1, eval.observe("net.up", "usb0", 0).size());
        eval.observe("fs.used_ratio", "/", 0.5);
        for (int i = 0; i < 119; i++) {
            clock.advanceSeconds(1);
            assertEquals(List.of(), eval.tick());
        }
        clock.advanceSeconds(1);
        assertEquals("no data", eval.tick().get(0).reason(), "stale exactly two minutes after its last value");
        clock.advanceSeconds(3600);
        assertEquals(List.of(), eval.tick(), "nothing held");
        eval.observe("fs.used_ratio", "/", 0.95);
        clock.advanceSeconds(59);
        assertEquals(List.of(), eval.tick());
        clock.advanceSeconds(1);
        List<Transition> t = eval.tick();
        assertEquals(1, t.size());
        assertTrue(t.get(0).raised(), "held for its 60 s: raised by the tick");
    }

    @Test
    void removingARuleClearsItsFaultsAndAReloadKeepsTheOthers() {
        Rule cpu = threshold("cpu", "cpu.usage_ratio", Comparison.ABOVE, 0.9, Duration.ZERO, 0.8, Duration.ZERO);
        eval.setRules(List.of(disk, cpu));
        eval.observe("cpu.usage_ratio", "", 1.0);
        eval.observe("fs.used_ratio", "/", 0.95);
        clock.advanceSeconds(60);
        eval.observe("fs.used_ratio", "/", 0.95);
        assertEquals(2, eval.active().size());
        List<Transition> t = eval.setRules(List.of(disk));
        assertEquals(1, t.size());
        assertEquals("rule removed", t.get(0).reason());
        assertEquals("cpu", t.get(0).rule().id());
        assertEquals(1, eval.active().size(), "disk fault kept across the reload, not raised again");
        assertEquals(List.of(), eval.observe("fs.used_ratio", "/", 0.95));
    }

    @Test
    void anAdoptedFaultClearsWhenTheConditionIsGone() {
        eval.setRules(List.of(disk));
        eval.adopt("disk_full", "/");
        assertEquals(1, eval.active().size());
        eval.observe("fs.used_ratio", "/", 0.5);
        clock.advanceSeconds(30);
        assertEquals(1, eval.observe("fs.used_ratio", "/", 0.5).size());
        eval.adopt("unknown_rule", "/");
        assertEquals(List.of(), eval.active());
        eval.adopt("disk_full", "/");
        assertEquals(List.of(), eval.active(), "a series evaluated here keeps its own state");
    }

    @Test
    void trendPredictsADiskFillingUpWithinTheHorizon() {
        Rule trend = new Rule("disk_fill_24h", Rule.Kind.TREND, "fs.free_bytes", "*", Comparison.BELOW, 0,
                Duration.ZERO, 0, Duration.ZERO, false, Rule.Flap.NONE, Duration.ZERO, Duration.ofHours(24),
                Duration.ofHours(6), Severity.WARNING, Scope.ANY, Rule.Text.NONE);
        eval.setRules(List.of(trend));
        // 100 GB free, shrinking 2 GB per hour: empty in 50 h, not within 24 h.
        List<Transition> all = new ArrayList<>();
        double free = 100e9;
        for (int i = 0; i < 36; i++) {
            all.addAll(eval.observe("fs.free_bytes", "/", free));
            free -= 2e9 / 6;
            clock.advance(Duration.ofMinutes(10));
        }
        assertEquals(List.of(), all);
        // Now it falls 5 GB per hour with 88 GB left... after some hours the prediction crosses zero.
        for (int i = 0; i < 60 && all.isEmpty(); i++) {
            all.addAll(eval.observe("fs.free_bytes", "/", free));
            free -= 5e9 / 6;
            clock.advance(Duration.ofMinutes(10));
        }
        assertEquals(1, all.size());
        assertTrue(all.get(0).raised());
        assertTrue(free > 0, "raised while space is left: " + free);
        assertTrue(all.get(0).value() < 0, "predicted value is negative: " + all.get(0).value());
        // Usage stops growing: the prediction recovers and the fault clears.
        all.clear();
        for (int i = 0; i < 60 && all.isEmpty(); i++) {
            all.addAll(eval.observe("fs.free_bytes", "/", free));
            clock.advance(Duration.ofMinutes(10));
        }
        assertEquals(1, all.size());
        assertFalse(all.get(0).raised());
    }

    @Test
    void trendWithTooLittleHistoryPredictsNothing() {
        Rule trend = new Rule("t", Rule.Kind.TREND, "fs.free_bytes", "*", Comparison.BELOW, 0, Duration.ZERO, 0,
                Duration.ZERO, false, Rule.Flap.NONE, Duration.ZERO, Duration.ofHours(24), Duration.ofHours(6),
                Severity.WARNING, Scope.ANY, Rule.Text.NONE);
        eval.setRules(List.of(trend));
        assertEquals(List.of(), eval.observe("fs.free_bytes", "/", 100));
        clock.advanceSeconds(1);
        assertEquals(List.of(), eval.observe("fs.free_bytes", "/", 1));
        assertEquals(List.of(), eval.active());
    }

    @Test
    void aRecoveryThresholdBeyondTheThresholdIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> threshold("x", "m",
                Comparison.ABOVE, 0.9, Duration.ZERO, 0.95, Duration.ZERO));
        assertTrue(e.getMessage().contains("recover"), e.getMessage());
    }

    @Test
    void theSameRuleIdTwiceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> eval.setRules(List.of(disk, disk)));
    }

    @Test
    void globsMatchResources() {
        assertTrue(Glob.matches("*", "/home"));
        assertTrue(Glob.matches("eth*", "eth0"));
        assertFalse(Glob.matches("eth*", "wlan0"));
        assertTrue(Glob.matches("", ""));
        assertFalse(Glob.matches("", "/"));
        assertTrue(Glob.matches("/mnt/?", "/mnt/a"));
    }

    @Test
    void rulesSurviveTheWire() {
        Rule r = withFlap(disk, new Rule.Flap(Duration.ofMinutes(10), 3, Duration.ofMinutes(5)));
        Rule back = RuleCodec.fromProto(RuleCodec.toProto(r));
        assertEquals(new Rule(r.id(), r.kind(), r.metric(), r.resource(), r.comparison(), r.threshold(), r.forDuration(),
                r.recoverThreshold(), r.recoverFor(), r.requireOkFirst(), r.flap(), r.staleAfter(), Duration.ZERO,
                Duration.ZERO, r.severity(), Scope.ANY, Rule.Text.NONE), back);
    }
}

package io.firstline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.proto.RuleDef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Event rules: raise at once, count repeats, clear after the quiet period; field globs; on the wire. */
class EventRuleTest {
    private final FakeClock clock = new FakeClock();
    private final FaultEvaluator eval = new FaultEvaluator(clock);

    static Rule event(String id, String type, Duration quiet, Map<String, String> match) {
        return new Rule(id, Rule.Kind.EVENT, type, "*", Comparison.ABOVE, 0, Duration.ZERO, 0, quiet, false, Rule.Flap.NONE,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, Severity.CRITICAL, Scope.ANY, Rule.Text.NONE, match);
    }

    @Test
    void raisesAtOnceCountsRepeatsAndClearsWhenQuiet() {
        eval.setRules(List.of(event("oom_kill", "oom_kill", Duration.ofMinutes(10), Map.of())));
        List<Transition> t = eval.event("oom_kill", "java", Map.of("pid", "1"));
        assertEquals(1, t.size());
        assertEquals(Transition.Type.RAISED, t.get(0).type());
        assertEquals("java", t.get(0).resource());
        assertEquals("1", t.get(0).details().get("pid"));
        clock.advanceSeconds(300);
        t = eval.event("oom_kill", "java", Map.of("pid", "2"));
        assertEquals(Transition.Type.REPEATED, t.get(0).type());
        assertEquals(2, t.get(0).value());
        assertEquals(Transition.Type.RAISED, eval.event("oom_kill", "postgres", Map.of()).get(0).type(), "another process, another fault");
        clock.advanceSeconds(599);
        assertEquals(List.of(), eval.tick().stream().filter(x -> x.resource().equals("java")).toList(), "quiet is counted from the last kill");
        clock.advanceSeconds(1);
        List<Transition> cleared = eval.tick();
        assertEquals(1, cleared.stream().filter(x -> x.resource().equals("java") && x.type() == Transition.Type.CLEARED
                && x.reason().equals("quiet")).count());
        assertEquals(List.of(), eval.active().stream().filter(a -> a.resource().equals("java")).toList());
        assertEquals(Transition.Type.RAISED, eval.event("oom_kill", "java", Map.of()).get(0).type(), "after the clear, a new raise");
    }

    @Test
    void fieldGlobsAndResourceGlobsSelectEvents() {
        Rule r = new Rule("service_oom", Rule.Kind.EVENT, "oom_kill", "post*", Comparison.ABOVE, 0, Duration.ZERO, 0,
                Duration.ofMinutes(1), false, Rule.Flap.NONE, Duration.ZERO, Duration.ZERO, Duration.ZERO, Severity.WARNING,
                Scope.ANY, Rule.Text.NONE, Map.of("cgroup", "/system.slice/*"));
        eval.setRules(List.of(r));
        assertEquals(List.of(), eval.event("oom_kill", "postgres", Map.of("cgroup", "/user.slice/x")));
        assertEquals(List.of(), eval.event("oom_kill", "java", Map.of("cgroup", "/system.slice/java.service")));
        assertEquals(List.of(), eval.event("oom_kill", "postgres", Map.of()), "a missing field is empty");
        assertEquals(1, eval.event("oom_kill", "postgres", Map.of("cgroup", "/system.slice/postgresql.service")).size());
        assertEquals(List.of(), eval.observe("oom_kill", "postgres", 1), "values do not feed event rules");
    }

    @Test
    void anAdoptedEventFaultClearsAfterItsQuietPeriod() {
        eval.setRules(List.of(event("crash", "crash", Duration.ofMinutes(1), Map.of())));
        eval.adopt("crash", "a.out");
        clock.advanceSeconds(61);
        assertEquals("quiet", eval.tick().get(0).reason());
    }

    @Test
    void eventRulesTravelWithTheirMatchAndQuietPeriod() {
        Rule r = event("oom_kill", "oom_kill", Duration.ofMinutes(10), Map.of("cgroup", "/kubepods/*"));
        RuleDef d = RuleCodec.toProto(r);
        assertEquals(RuleDef.Kind.EVENT, d.getKind());
        Rule back = RuleCodec.fromProto(d);
        assertEquals(Rule.Kind.EVENT, back.kind());
        assertEquals(Map.of("cgroup", "/kubepods/*"), back.match());
        assertEquals(Duration.ofMinutes(10), back.recoverFor());
        assertTrue(back.kind().runsOnAgent());
    }

    @Test
    void eventRulesNeedAQuietPeriodAndOnlyTheyMatchFields() {
        assertThrows(IllegalArgumentException.class, () -> event("x", "oom_kill", Duration.ZERO, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> event("x", "Not a type", Duration.ofMinutes(1), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Rule("x", Rule.Kind.THRESHOLD, "m", "*", Comparison.ABOVE, 1,
                Duration.ZERO, 1, Duration.ZERO, false, Rule.Flap.NONE, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Severity.WARNING, Scope.ANY, Rule.Text.NONE, Map.of("a", "b")));
    }
}

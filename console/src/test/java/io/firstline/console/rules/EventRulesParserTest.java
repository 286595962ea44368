package io.firstline.console.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.rules.Rule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The {@code event:} rule kind in the rules file, and the default pack's event rules. */
class EventRulesParserTest {
    private static final String FILE = """
            rules:
              - id: service_oom
                event: oom_kill
                match: { cgroup: "/system.slice/*" }
                quiet: 5m
                severity: critical
                title: "{resource} killed"
                description: d
                user_text: u
                kb: [kb-oom-kill]
            """;

    @Test
    void readsAnEventRule() {
        Rule r = RulesParser.parse("rules.yaml", FILE).rules().get(0);
        assertEquals(Rule.Kind.EVENT, r.kind());
        assertEquals("oom_kill", r.metric());
        assertEquals(Map.of("cgroup", "/system.slice/*"), r.match());
        assertEquals(Duration.ofMinutes(5), r.recoverFor());
        assertTrue(r.kind().runsOnAgent());
        assertEquals(RulesParser.DEFAULT_QUIET, RulesParser.parse("r", FILE.replace("    quiet: 5m\n", "")).rules().get(0).recoverFor());
    }

    @Test
    void mistakesNameLineRuleAndField() {
        RulesException e = assertThrows(RulesException.class, () -> RulesParser.parse("rules.yaml",
                FILE.replace("quiet: 5m", "quiet: 5m\n    condition: \"> 1\"")));
        assertEquals(List.of(6, "service_oom", "condition"), List.of(e.line(), e.ruleId(), e.field()));
        assertTrue(e.getMessage().contains("an event rule has no 'condition'"), e.getMessage());
        e = assertThrows(RulesException.class, () -> RulesParser.parse("rules.yaml", FILE.replace("quiet: 5m", "quiet: 0s")));
        assertEquals("quiet", e.field());
        e = assertThrows(RulesException.class, () -> RulesParser.parse("rules.yaml", FILE.replace("event: oom_kill", "event: OOM")));
        assertEquals("event", e.field());
        e = assertThrows(RulesException.class, () -> RulesParser.parse("rules.yaml", FILE.replace("match: { cgroup: \"/system.slice/*\" }",
                "match: [a]")));
        assertEquals("match", e.field());
        e = assertThrows(RulesException.class, () -> RulesParser.parse("rules.yaml", """
                rules:
                  - id: x
                    metric: m
                    condition: "> 1"
                    for: 0s
                    quiet: 1m
                    severity: info
                    title: t
                    description: d
                    user_text: u
                """));
        assertEquals(List.of(6, "quiet"), List.of(e.line(), e.field()));
    }

    @Test
    void theDefaultPackHasAnEventRuleForEveryKernelEventClass() {
        RuleFile f = RulesParser.parse("default", RulesService.defaultPackText());
        Map<String, Rule> byEvent = f.rules().stream().filter(r -> r.kind() == Rule.Kind.EVENT)
                .collect(Collectors.toMap(Rule::metric, r -> r));
        assertEquals(Set.of("oom_kill", "io_error", "fs_error", "crash", "hung_task", "hardware_error", "thermal_throttle"),
                byEvent.keySet());
        for (Rule r : byEvent.values()) {
            assertTrue(!r.text().kbArticles().isEmpty() && !r.text().userText().isBlank() && r.text().title().contains("{resource}"),
                    r.id());
        }
        assertEquals("oom_kill", byEvent.get("oom_kill").id());
        // the two event classes that have a clear feed state rules, whose ids stay
        assertEquals("fs.read_only", f.rule("filesystem_read_only").orElseThrow().metric());
        assertEquals("net.up", f.rule("interface_down").orElseThrow().metric());
    }
}

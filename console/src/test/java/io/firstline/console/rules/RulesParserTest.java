package io.firstline.console.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.rules.Comparison;
import io.firstline.rules.Rule;
import io.firstline.rules.Severity;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RulesParserTest {
    private static final String GOOD = """
            settings:
              check_interval: 500ms
            rules:
              - id: disk_almost_full
                metric: fs.used_ratio
                condition: "> 0.9"
                for: 1m
                recover: { threshold: 0.85, for: 30s }
                severity: warning
                scope: { os: [linux], sites: [hq] }
                flap: { window: 1h, max_raises: 3, hold: 15m }
                title: "Disk {resource} almost full"
                description: "Clean it."
                user_text: "Your disk is full."
                kb: [kb-disk]
              - id: fill_24h
                kind: trend
                metric: fs.free_bytes
                condition: "< 0"
                horizon: 24h
                window: 6h
                for: 0s
                severity: info
                title: t
                description: d
                user_text: u
            """;

    @Test
    void readsEveryField() {
        RuleFile f = RulesParser.parse("rules.yaml", GOOD);
        assertEquals(Duration.ofMillis(500), f.checkInterval());
        Rule r = f.rules().get(0);
        assertEquals("fs.used_ratio", r.metric());
        assertEquals("*", r.resource());
        assertEquals(Comparison.ABOVE, r.comparison());
        assertEquals(0.9, r.threshold());
        assertEquals(Duration.ofMinutes(1), r.forDuration());
        assertEquals(0.85, r.recoverThreshold());
        assertEquals(Duration.ofSeconds(30), r.recoverFor());
        assertEquals(3, r.flap().maxRaises());
        assertEquals(Severity.WARNING, r.severity());
        assertTrue(r.scope().matches("hq", "Ubuntu Linux", Set.of()));
        assertEquals(false, r.scope().matches("branch", "Ubuntu Linux", Set.of()));
        assertEquals(java.util.List.of("kb-disk"), r.text().kbArticles());
        assertEquals(1, f.agentRules().size());
        assertEquals(Rule.Kind.TREND, f.consoleRules().get(0).kind());
        assertEquals(0.0, f.consoleRules().get(0).recoverThreshold(), "recovery defaults to the threshold");
    }

    @Test
    void theDefaultPackIsValidAndCoversTheIssuesList() {
        RuleFile f = RulesParser.parse("default", RulesService.defaultPackText());
        Set<String> ids = f.rules().stream().map(Rule::id).collect(Collectors.toSet());
        for (String id : new String[] {"disk_almost_full", "disk_fill_within_24h", "inodes_almost_exhausted",
                "filesystem_read_only", "memory_pressure", "swap_thrashing", "cpu_saturated", "high_iowait",
                "interface_down", "interface_errors", "interface_drops", "gateway_unreachable", "dns_unreachable",
                "clock_skew", "overheating", "battery_worn", "failed_services", "unexpected_reboot", "agent_offline",
                "collector_failing"}) {
            assertTrue(ids.contains(id), id);
        }
        for (Rule r : f.rules()) {
            assertTrue(!r.text().userText().isBlank() && !r.text().description().isBlank(), r.id());
        }
    }

    private static RulesException bad(String text) {
        return assertThrows(RulesException.class, () -> RulesParser.parse("rules.yaml", text));
    }

    @Test
    void aBadDurationNamesFileLineRuleAndField() {
        RulesException e = bad(GOOD.replace("for: 1m", "for: soon"));
        assertEquals("rules.yaml", e.file());
        assertEquals(7, e.line());
        assertEquals("disk_almost_full", e.ruleId());
        assertEquals("for", e.field());
        assertTrue(e.getMessage().startsWith("rules.yaml: line 7: rule 'disk_almost_full': field 'for': "), e.getMessage());
    }

    @Test
    void otherMistakesAreLocatedToo() {
        RulesException e = bad(GOOD.replace("severity: info", "severity: urgent"));
        assertEquals(List2.of(23, "fill_24h", "severity"), List2.of(e.line(), e.ruleId(), e.field()));
        e = bad(GOOD.replace("condition: \"> 0.9\"", "condition: \"about 0.9\""));
        assertEquals(List2.of(6, "disk_almost_full", "condition"), List2.of(e.line(), e.ruleId(), e.field()));
        e = bad(GOOD.replace("recover: { threshold: 0.85", "recover: { threshold: 0.95"));
        assertEquals(List2.of(8, "disk_almost_full", "recover.threshold"), List2.of(e.line(), e.ruleId(), e.field()));
        e = bad(GOOD.replace("    kb: [kb-disk]", "    kb: [kb-disk]\n    colour: red"));
        assertEquals(List2.of(16, "disk_almost_full", "colour"), List2.of(e.line(), e.ruleId(), e.field()));
        e = bad(GOOD.replace("id: fill_24h", "id: disk_almost_full"));
        assertEquals("id", e.field());
        assertEquals(16, e.line());
        e = bad(GOOD.replace("    title: t\n", ""));
        assertEquals("title", e.field());
        e = bad("rules: [ { id: x\n");
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
        e = bad(GOOD.replace("id: fill_24h", "id: Fill-24h"));
        assertEquals("id", e.field());
    }

    /** Compares a few values at once with a readable failure. */
    private record List2(Object a, Object b, Object c) {
        static List2 of(Object a, Object b, Object c) {
            return new List2(a, b, c);
        }
    }
}

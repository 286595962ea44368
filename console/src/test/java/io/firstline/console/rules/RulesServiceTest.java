package io.firstline.console.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesServiceTest {
    @TempDir
    Path dir;

    @Test
    void writesTheDefaultPackThenKeepsTheLastGoodRulesWhenAnEditBreaksTheFile() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RulesService s = RulesService.open(dir, Clock.systemUTC(), registry);
        Path file = dir.resolve("rules.yaml");
        assertEquals(RulesService.defaultPackText(), Files.readString(file));
        assertTrue(s.status().valid());
        int defaults = s.current().rules().size();
        List<RuleFile> seen = new ArrayList<>();
        s.onChange(seen::add);

        String text = Files.readString(file);
        Files.writeString(file, text.replace("condition: \"> 0.95\"\n    for: 2m", "condition: \"> 0.95\"\n    for: 2 minutes"));
        assertFalse(s.reload());
        assertFalse(s.status().valid());
        assertTrue(s.status().error().contains("rule 'memory_pressure': field 'for'"), s.status().error());
        assertEquals(defaults, s.current().rules().size(), "last good rules stay");
        assertEquals(0.0, registry.get("firstline.rules.valid").gauge().value());
        assertEquals(1.0, registry.get("firstline.rules.reload.failures").counter().count());
        assertEquals(List.of(), seen);

        Files.writeString(file, text.replace("condition: \"> 0.95\"\n    for: 2m", "condition: \"> 0.95\"\n    for: 3m"));
        assertTrue(s.reload());
        assertTrue(s.status().valid());
        assertEquals(1, seen.size());
        assertEquals("3m", io.firstline.wire.Durations.format(seen.get(0).rule("memory_pressure").orElseThrow().forDuration()));
        assertFalse(s.reload(), "unchanged file");
    }

    @Test
    void aBrokenFileAtStartFallsBackToTheBuiltInPack() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), "rules: 12\n");
        RulesService s = RulesService.open(dir, Clock.systemUTC(), new SimpleMeterRegistry());
        assertFalse(s.status().valid());
        assertTrue(s.current().rules().size() > 10);
    }
}

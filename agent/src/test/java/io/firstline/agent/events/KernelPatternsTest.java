package io.firstline.agent.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped pattern table against real kernel lines of several kernel versions (fixtures/kmsg/kernel-lines.txt). */
class KernelPatternsTest {
    private static final KernelPatterns TABLE = KernelPatterns.builtIn();

    record Case(int line, String type, String resource, String fields, String message) {
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (var in = KernelPatternsTest.class.getResourceAsStream("/fixtures/kmsg/kernel-lines.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank() || lines[i].startsWith("#")) {
                    continue;
                }
                String[] p = lines[i].split(" \\| ", 4);
                out.add(new Case(i + 1, p[0].trim(), p[1].trim(), p[2].trim(), p[3]));
            }
        }
        return out;
    }

    @Test
    void everyFixtureLineBecomesItsEvent() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Case c : cases()) {
            Optional<KernelEvent> e = TABLE.classify(c.message());
            String got = e.map(x -> x.type() + " | " + (x.resource().isEmpty() ? "-" : x.resource())).orElse("- | -");
            String want = c.type() + " | " + (c.type().equals("-") ? "-" : c.resource());
            if (!got.equals(want)) {
                wrong.add("line " + c.line() + ": want " + want + ", got " + got + ": " + c.message());
                continue;
            }
            if (e.isPresent()) {
                assertEquals(c.message(), e.get().fields().get("line"));
                for (String f : c.fields().isEmpty() ? new String[0] : c.fields().split(",")) {
                    String[] kv = f.split("=", 2);
                    if (!kv[1].equals(e.get().fields().get(kv[0]))) {
                        wrong.add("line " + c.line() + ": field " + kv[0] + " want '" + kv[1] + "', got '"
                                + e.get().fields().get(kv[0]) + "'");
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyTypeOfTheTableHasFixtures() throws IOException {
        Set<String> covered = new HashSet<>();
        cases().forEach(c -> covered.add(c.type()));
        for (String type : TABLE.types()) {
            assertTrue(covered.contains(type), "no fixture line for " + type);
        }
    }

    @Test
    void brokenTablesAreRefusedNamingTheEntry() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> KernelPatterns.parse("p.txt", "# ok\noom_kill process ^Killed process (?<pid>\\d+) \\((?<process>.*)\\)\n"
                        + "io_error device ^I/O error, dev (?<device>[^,]+\n"));
        assertTrue(e.getMessage().startsWith("p.txt line 3 (entry 'io_error'): not a valid regular expression: Unclosed group"),
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelPatterns.parse("p.txt", "crash process ^x(?<pid>\\d+)"))
                .getMessage().startsWith("p.txt line 1 (entry 'crash'): the resource 'process' is not a named group"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelPatterns.parse("p.txt", "Crash - ^x"))
                .getMessage().startsWith("p.txt line 1 (entry 'Crash'): the type must be lower_snake_case"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelPatterns.parse("p.txt", "crash -"))
                .getMessage().startsWith("p.txt line 1 (entry 'crash'): expected TYPE RESOURCE REGEX"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelPatterns.parse("p.txt", "# nothing\n"))
                .getMessage().contains("no entries"));
    }

    @Test
    void aTableFromAFileIsReadAndABrokenOneNamesTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("patterns.txt");
        Files.writeString(f, "custom_event app ^myapp\\[(?<app>\\w+)\\] exploded\n");
        assertEquals("app1", KernelPatterns.load(f).classify("myapp[app1] exploded").orElseThrow().resource());
        Files.writeString(f, "custom_event app ^myapp[\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelPatterns.load(f)).getMessage()
                .startsWith(f + " line 1 (entry 'custom_event')"));
    }

    @Test
    void hugeAndBinaryMessagesAreBoundedNotFatal() {
        String huge = "Out of memory: Killed process 1 (" + "x".repeat(20_000) + ") total-vm:1kB";
        KernelEvent e = TABLE.classify(huge).orElseThrow();
        assertTrue(e.resource().length() <= KernelPatterns.MAX_FIELD);
        assertTrue(e.fields().get("line").length() <= KernelPatterns.MAX_FIELD);
        assertEquals(Optional.empty(), TABLE.classify("\u0000\u00ff\\x01\\xfe garbage \ud800"));
        long start = System.nanoTime();
        String adversarial = "a[".repeat(4000);
        for (int i = 0; i < 100; i++) {
            TABLE.classify(adversarial);
        }
        // 100 hostile 8 KiB lines must not take seconds (catastrophic backtracking would)
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "pattern table backtracks on hostile input");
    }
}

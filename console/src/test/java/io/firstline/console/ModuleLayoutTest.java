package io.firstline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module boundary of docs/architecture.md: the console depends on the
 * agent only so that its demo can embed one. Shared command-line support
 * lives in the proto module ({@code io.firstline.cli}); any other console
 * source that names an agent class fails here with the file and the class.
 */
class ModuleLayoutTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Pattern AGENT_REFERENCE = Pattern.compile("\\bio\\.firstline\\.agent\\.[A-Za-z0-9_.]+");
    /** The only console source allowed to know the agent: the demo, which runs one beside the console. */
    private static final Path DEMO = MAIN.resolve("io/firstline/console/cli/DemoCommand.java");

    @Test
    void onlyTheDemoNamesAgentClasses() throws IOException {
        assertTrue(Files.isRegularFile(DEMO), "the demo command moved: update " + DEMO + " here");
        TreeMap<String, List<String>> offenders = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (file.equals(DEMO)) {
                    continue;
                }
                Matcher m = AGENT_REFERENCE.matcher(Files.readString(file));
                List<String> names = m.results().map(r -> r.group()).distinct().toList();
                if (!names.isEmpty()) {
                    offenders.put(file.toString(), names);
                }
            }
        }
        assertEquals(new TreeMap<>(), offenders, "console sources other than the demo name agent classes;"
                + " move what both sides need to the proto module (io.firstline.cli, io.firstline.wire, ...)");
    }

    @Test
    void theDemoStillEmbedsARealAgent() throws IOException {
        String demo = Files.readString(DEMO);
        assertTrue(demo.contains("io.firstline.agent.AgentRuntime"), "the demo no longer starts an agent");
    }
}

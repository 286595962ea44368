package io.firstline.console.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.TestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped systemd units stay hardened: {@code systemd-analyze security
 * --offline=true} rates the agent's unit at 3.0 or less and the console's at
 * 2.5 or less (a hardened node_exporter unit scores 3.3), and neither turns
 * on {@code MemoryDenyWriteExecute}, which breaks the JVM's JIT. The scores
 * are the ones the README lists.
 */
class UnitHardeningTest {
    static final Path AGENT_UNIT = Path.of("..", "install", "agent", "firstline-agent.service");
    static final Path CONSOLE_UNIT = Path.of("..", "install", "console", "firstline-console.service");
    private static final Pattern OVERALL = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");

    @Test
    void agentUnitExposureIsAtMostThree() throws Exception {
        double score = exposure(AGENT_UNIT);
        assertTrue(score <= 3.0, "firstline-agent.service exposure " + score + " > 3.0");
        assertReadmeSays("firstline-agent.service", score);
    }

    @Test
    void consoleUnitExposureIsAtMostTwoAndAHalf() throws Exception {
        double score = exposure(CONSOLE_UNIT);
        assertTrue(score <= 2.5, "firstline-console.service exposure " + score + " > 2.5");
        assertReadmeSays("firstline-console.service", score);
    }

    @Test
    void everyExtraPermissionOfTheAgentIsExplained() throws Exception {
        String unit = Files.readString(AGENT_UNIT);
        for (String cap : List.of("CAP_SYSLOG", "CAP_DAC_READ_SEARCH", "CAP_NET_RAW")) {
            assertTrue(unit.lines().anyMatch(l -> l.startsWith("#") && l.contains(cap)), cap + " has no comment saying why");
            assertTrue(unit.lines().anyMatch(l -> l.startsWith("AmbientCapabilities=") && l.contains(cap)), cap + " not granted");
        }
        for (Path p : List.of(AGENT_UNIT, CONSOLE_UNIT)) {
            assertFalse(Files.readString(p).lines().anyMatch(l -> l.startsWith("MemoryDenyWriteExecute=yes")),
                    p + " turns on MemoryDenyWriteExecute, which breaks the JIT");
        }
        String console = Files.readString(CONSOLE_UNIT);
        assertTrue(console.lines().anyMatch(l -> l.equals("CapabilityBoundingSet=")), "the console needs no capability");
    }

    /** The overall score systemd-analyze gives the unit file, read offline (PID 1 need not be systemd). */
    static double exposure(Path unit) throws Exception {
        Path tool = TestSupport.requireTool("systemd-analyze", "systemd");
        Process p = new ProcessBuilder(tool.toString(), "security", "--offline=true", unit.toAbsolutePath().normalize().toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze did not finish");
        assertEquals(0, p.exitValue(), out);
        Matcher m = OVERALL.matcher(out);
        assertTrue(m.find(), "no overall exposure in: " + out);
        return Double.parseDouble(m.group(1));
    }

    private static void assertReadmeSays(String unit, double score) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String row = "| `" + unit + "` | " + score + " |";
        assertTrue(readme.contains(row), "README.md should list the exposure as: " + row);
    }
}

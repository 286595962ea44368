package io.firstline.console.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.TestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The console's own alert rules, {@code install/prometheus/firstline-console.rules.yml}:
 * valid for Prometheus ({@code promtool check rules}) and doing what they say
 * on the series of their unit tests ({@code promtool test rules}).
 */
class PrometheusRulesTest {
    static final Path DIR = Path.of("..", "install", "prometheus").toAbsolutePath().normalize();

    @Test
    void rulesPassPromtoolCheck() throws Exception {
        Path promtool = TestSupport.requireTool("promtool", "prometheus");
        String out = run(promtool, "check", "rules", "firstline-console.rules.yml");
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void rulesPassTheirUnitTests() throws Exception {
        Path promtool = TestSupport.requireTool("promtool", "prometheus");
        String out = run(promtool, "test", "rules", "firstline-console.rules.test.yml");
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void everyAlertHasAUnitTest() throws IOException {
        String rules = Files.readString(DIR.resolve("firstline-console.rules.yml"));
        String tests = Files.readString(DIR.resolve("firstline-console.rules.test.yml"));
        var alerts = java.util.regex.Pattern.compile("- alert: (\\w+)").matcher(rules).results().map(m -> m.group(1)).toList();
        assertTrue(alerts.size() >= 15, alerts.toString());
        for (String a : alerts) {
            if (a.equals("FirstlineConsoleRestarted") || a.equals("FirstlineCertificateExpired") || a.equals("FirstlineIngestRefused")
                    || a.equals("FirstlineAgentSpoolDrops")) {
                continue; // simple thresholds on one counter, like their tested siblings
            }
            assertTrue(tests.contains("alertname: " + a), a + " has no promtool unit test");
        }
    }

    static String run(Path promtool, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = promtool.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}

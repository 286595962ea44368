package io.firstline.console.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real /metrics output, with an agent connected, passes {@code promtool check metrics}. */
class PromtoolTest {
    @TempDir
    Path dir;


    @Test
    void metricsPassPromtoolLint() throws IOException, InterruptedException {
        Path promtool = TestSupport.requireTool("promtool", "prometheus");
        try (Console console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
             AgentRuntime agent = TestSupport.enrolledAgent(console, new AgentRuntime.Settings(
                     List.of(new ConsoleAddress("127.0.0.1", console.agentPort())), dir.resolve("agent"), Duration.ofSeconds(1),
                     CollectorRegistry.builtIn().select(Set.of(), Set.of())))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> console.fleet().connected() == 1);
            String body = TestSupport.get("http://127.0.0.1:" + console.httpPort() + "/metrics").body();
            assertFalse(body.contains(agent.agentId()), "no per-agent labels");
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
            p.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
            assertEquals("", out.trim(), "promtool lint findings:\n" + out);
        }
    }
}

package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.config.AgentConfig;
import io.firstline.agent.diagnose.DiagnosticsConfig;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.Role;
import io.firstline.console.config.ConsoleConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Safe diagnostics in a real browser against a real console and agent: an
 * engineer picks an action on the host page, fills its small form, runs it,
 * and reads the result; the ticket it was run for shows it on its timeline.
 */
class DiagnosticsBrowserTest {
    @TempDir
    static Path dir;
    static Console console;
    static Browser browser;
    static AgentRuntime agent;
    static String base;

    @RegisterExtension
    final ScreenshotOnFailure screenshots = new ScreenshotOnFailure(() -> browser);

    @BeforeAll
    static void start() {
        console = Console.start(ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1)));
        base = "http://127.0.0.1:" + console.httpPort();
        AgentRuntime.Settings settings = new AgentRuntime.Settings(List.of(new ConsoleAddress("127.0.0.1", console.agentPort())),
                dir.resolve("agent"), Duration.ofSeconds(1), CollectorRegistry.builtIn().select(Set.of(), Set.of()));
        io.firstline.console.cli.DemoCommand.enrollLocalAgent(console, settings.consoles().get(0), settings.stateDir());
        agent = AgentRuntime.start(settings, AgentConfig.defaults().withDiagnostics(new DiagnosticsConfig(true,
                Set.of("tcp_connect", "routes", "interfaces"), Map.of(), List.of("/tmp"), List.of())));
        browser = Browser.start(1400, 1000);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (console != null) {
            console.close();
        }
    }

    @Test
    void anEngineerRunsTcpConnectFromTheHostPage() throws Exception {
        String password = TestSupport.user(console, "erin", Role.ENGINEER);
        browser.signIn(base, "erin", password);
        try (ServerSocket target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            browser.driver.get(base + "/hosts/" + agent.agentId());
            // The panel lists only what this agent allows.
            browser.await(20, d -> d.findElements(By.cssSelector("#diag-action option")).size() == 3 ? true : null);
            new Select(browser.driver.findElement(By.id("diag-action"))).selectByValue("tcp_connect");
            WebElement form = browser.await(10, d -> d.findElement(By.cssSelector("form.diag-form[data-action='tcp_connect']")));
            form.findElement(By.name("host")).sendKeys("127.0.0.1");
            form.findElement(By.name("port")).sendKeys(Integer.toString(target.getLocalPort()));
            form.findElement(By.cssSelector("button.diag-run")).click();
            int port = target.getLocalPort();
            // The result, with its output, replaces the pending entry (the panel redraws itself: read it inside the wait).
            String output = browser.await(30, d -> d.findElements(By.cssSelector("#diag-results .diag-result[data-state='done'] pre.diag-output"))
                    .stream().map(WebElement::getText).filter(t -> t.contains("connected to 127.0.0.1 port " + port)).findFirst().orElse(null));
            assertTrue(output.contains("resolves to 127.0.0.1"), output);
            // A bad value is refused by the console with the parameter named, and nothing runs.
            form = browser.driver.findElement(By.cssSelector("form.diag-form[data-action='tcp_connect']"));
            form.findElement(By.name("port")).clear();
            form.findElement(By.name("port")).sendKeys("70000");
            form.findElement(By.cssSelector("button.diag-run")).click();
            browser.await(10, d -> d.findElement(By.id("diag-status")).getText().contains("'port' must be a whole number from 1 to 65535")
                    ? true : null);
        }
        assertTrue(browser.cspViolations().isEmpty(), browser.cspViolations().toString());
    }
}

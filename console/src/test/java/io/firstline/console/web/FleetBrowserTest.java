package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.Accounts;
import io.firstline.console.auth.Role;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The web console in real headless Chromium, against a real console and a real agent over loopback. */
class FleetBrowserTest {
    @TempDir
    static Path dir;
    static Console console;
    static Browser browser;
    static String base;
    static String adminPassword;

    @RegisterExtension
    final ScreenshotOnFailure screenshots = new ScreenshotOnFailure(() -> browser);

    @BeforeAll
    static void start() throws Exception {
        console = Console.start(ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1)));
        base = "http://127.0.0.1:" + console.httpPort();
        adminPassword = TestSupport.adminPassword(console, dir.resolve("console"));
        browser = Browser.start(1400, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
    }

    private static AgentRuntime agent(String name) {
        return TestSupport.enrolledAgent(console, new AgentRuntime.Settings(List.of(new ConsoleAddress("127.0.0.1", console.agentPort())),
                dir.resolve(name), Duration.ofSeconds(1), CollectorRegistry.builtIn().select(Set.of(), Set.of())));
    }

    private static WebElement row(String id) {
        List<WebElement> rows = browser.driver.findElements(By.cssSelector(".vt-row[data-id='" + id + "']"));
        return rows.isEmpty() || !rows.get(0).isDisplayed() ? null : rows.get(0);
    }

    @Test
    void aRealAgentAppearsLiveAndItsHostPageChartsItsHistory() {
        browser.signIn(base, "admin", adminPassword);
        browser.await(10, d -> "1".equals(d.findElement(By.tagName("body")).getDomAttribute("data-live")) ? true : null);
        // The page is open and live before the agent starts: it must appear without a reload.
        Object marker = browser.driver.executeScript("window.notReloaded = 42; return window.notReloaded;");
        assertEquals(42L, marker);
        try (AgentRuntime agent = agent("agent")) {
            String id = agent.agentId();
            WebElement row = browser.await(30, d -> row(id));
            browser.await(15, d -> row(id).findElement(By.cssSelector("div:nth-child(5)")).getText().endsWith("%") ? true : null);
            assertEquals("ok", row(id).getDomAttribute("data-health"));
            assertEquals(42L, browser.driver.executeScript("return window.notReloaded;"));

            // Rows are reused as the list changes (other tests' agents come and go): find this agent's row again.
            row(id).findElement(By.cssSelector("a.host")).click();
            browser.await(10, d -> d.getCurrentUrl().contains("/hosts/") ? true : null);
            // uPlot draws on a canvas; the chart carries the number of points it was given.
            browser.await(30, d -> {
                WebElement cpu = d.findElement(By.id("chart-cpu"));
                String points = cpu.getDomAttribute("data-points");
                return points != null && Integer.parseInt(points) >= 2 && !cpu.findElements(By.tagName("canvas")).isEmpty() ? true : null;
            });
            assertFalse(browser.driver.findElements(By.cssSelector("#filesystems td")).isEmpty());
            assertTrue(browser.driver.findElement(By.id("hostname")).getText().length() > 0);
            browser.screenshot(Path.of("target", "screenshots", "host-page.png"));
            // The pages and uPlot work under the strict CSP: nothing was blocked.
            assertEquals(List.of(), browser.cspViolations());
        }
    }

    /** Known from its enrollment on: an agent that never connected has a row, a host page, and its tickets on it. */
    @Test
    void anEnrolledAgentThatNeverConnectedShowsOfflineWithItsTicketsOnItsHostPage() {
        Path state = dir.resolve("never-connected");
        io.firstline.console.cli.DemoCommand.enrollLocalAgent(console, new ConsoleAddress("127.0.0.1", console.agentPort()), state);
        String id = io.firstline.agent.AgentIdentity.loadOrCreate(state);
        TestSupport.Auth auth = TestSupport.adminToken(console);
        // Silent for three intervals since its enrollment: agent_offline, as for any agent gone quiet.
        browser.await(20, d -> TestSupport.get(base + "/api/tickets?agent=" + id, auth).body().contains("agent_offline") ? true : null);
        browser.signIn(base, "admin", adminPassword);
        browser.driver.findElement(By.id("search")).sendKeys(id);
        assertEquals("offline", browser.await(10, d -> row(id)).getDomAttribute("data-health"));
        browser.driver.get(base + "/hosts/" + id);
        browser.await(10, d -> d.findElement(By.id("tickets")).getText().contains("Agent offline") ? true : null);
        assertEquals("dot h-offline", browser.driver.findElement(By.id("health")).getDomAttribute("class"));
        assertEquals(id, browser.driver.findElement(By.id("hostname")).getText(), "the id stands in for the host name");
    }

    @Test
    void aHostnameWithMarkupShowsAsText() {
        String evil = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
        FleetState.Session s = console.fleet().connect(Hello.newBuilder().setAgentId("evil-agent").setBootEpoch(1)
                .setHost(HostFacts.newBuilder().setHostname(evil).setOsFamily("<b>os</b>")).build(), "test");
        try {
            browser.signIn(base, "admin", adminPassword);
            browser.driver.findElement(By.id("search")).sendKeys("evil-agent");
            WebElement row = browser.await(10, d -> row("evil-agent"));
            assertEquals(evil, row.findElement(By.cssSelector("a.host")).getText());
            assertEquals("<b>os</b>", row.findElement(By.cssSelector("div:nth-child(4)")).getText());
            assertTrue(row.findElements(By.tagName("script")).isEmpty() && row.findElements(By.tagName("img")).isEmpty());
            browser.driver.get(base + "/hosts/evil-agent");
            browser.await(10, d -> evil.equals(d.findElement(By.id("hostname")).getText()) ? true : null);
            assertEquals(null, browser.driver.executeScript("return window.pwned === undefined ? null : window.pwned;"));
            // And should markup ever get in, the CSP stops inline script: the browser refuses it and says so.
            browser.cspViolations();
            browser.driver.executeScript("const s = document.createElement('script'); s.textContent = 'window.inlineRan = 1';"
                    + " document.body.appendChild(s);");
            assertEquals(null, browser.driver.executeScript("return window.inlineRan === undefined ? null : window.inlineRan;"));
            assertFalse(browser.cspViolations().isEmpty(), "the CSP violation shows in the console");
        } finally {
            s.closed();
        }
    }

    @Test
    void anAdminManagesUsersTokensRulesAndMaintenanceWindowsAndSeesTheAuditLog() {
        browser.signIn(base, "admin", adminPassword);
        browser.driver.get(base + "/admin");
        browser.await(10, d -> d.findElements(By.cssSelector("#rules tr")).size() > 5 ? true : null);
        assertTrue(browser.driver.findElement(By.id("rules")).getText().contains("disk_almost_full"));
        assertTrue(browser.driver.findElement(By.id("rules-status")).getText().startsWith("The rules file is valid"));

        browser.driver.findElement(By.id("new-name")).sendKeys("newbie");
        browser.driver.findElement(By.cssSelector("#new-user button")).click();
        String secret = browser.await(10, d -> {
            String t = d.findElement(By.id("secret")).getText();
            return t.contains("One-time password: ") ? t : null;
        });
        String password = secret.substring(secret.indexOf("One-time password: ") + 19).trim();
        assertEquals(16, password.length(), secret);

        browser.driver.findElement(By.id("mw-value")).sendKeys("berlin");
        browser.driver.findElement(By.id("mw-scope")).sendKeys("site");
        browser.driver.findElement(By.cssSelector("#new-window button")).click();
        browser.await(10, d -> d.findElement(By.id("windows")).getText().contains("site berlin") ? true : null);
        browser.await(10, d -> d.findElement(By.id("audit")).getText().contains("POST /api/maintenance-windows") ? true : null);
        assertTrue(browser.driver.findElement(By.id("audit")).getText().contains("POST /api/users"));

        // An enrollment token: the secret shows once, and the one-line install command carries a single-use
        // install code instead of it, with the CA fingerprint from this page.
        browser.driver.findElement(By.id("tok-site")).sendKeys("lab-east");
        browser.driver.findElement(By.id("tok-uses")).clear();
        browser.driver.findElement(By.id("tok-uses")).sendKeys("3");
        browser.driver.findElement(By.cssSelector("#new-token button")).click();
        String command = browser.await(10, d -> {
            String t = d.findElement(By.id("tok-command")).getText();
            return t.contains("--code") ? t : null;
        });
        String shown = browser.driver.findElement(By.id("tok-secret")).getText();
        String tokenId = shown.substring("Token ".length(), shown.indexOf(' ', "Token ".length()));
        String tokenSecret = shown.substring(shown.lastIndexOf(": ") + 2).trim();
        assertTrue(tokenId.startsWith("tok_") && tokenSecret.length() > 40, shown);
        assertEquals(1, command.lines().count(), "one line: " + command);
        assertTrue(command.startsWith("curl -fsSL " + base + "/install/agent.sh | sudo sh -s -- --url " + base
                + " --console 127.0.0.1:" + console.agentPort() + " --ca-fingerprint " + console.enrollment().caFingerprint()
                + " --code fic_"), command);
        assertFalse(command.contains(tokenSecret), "the token itself is never on the command line: " + command);
        String code = command.substring(command.indexOf("--code ") + 7).trim();
        TestSupport.Response traded = TestSupport.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/install/token"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(code)));
        assertEquals(tokenSecret + "\n", traded.body(), "the page's code stands for the token it shows");
        browser.driver.findElement(By.id("tok-copy")).click();
        browser.await(10, d -> d.findElement(By.id("tok-copied")).getText().isEmpty() ? null : true);

        browser.await(10, d -> d.findElement(By.id("tokens")).getText().contains(tokenId + " lab-east active 0 / 3") ? true : null);
        assertFalse(browser.driver.findElement(By.id("tokens")).getText().contains(tokenSecret));
        browser.driver.findElement(By.cssSelector("button[data-token='" + tokenId + "']")).click();
        browser.await(5, org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent()).accept(); // revoking asks first
        browser.await(10, d -> d.findElement(By.id("tokens")).getText().contains(tokenId + " lab-east revoked") ? true : null);
        assertTrue(console.enrollment().tokens().stream().anyMatch(t -> t.id().equals(tokenId) && t.revokedAt() != null));
        browser.await(10, d -> d.findElement(By.id("audit")).getText().contains("DELETE /api/tokens/" + tokenId) ? true : null);

        // The new engineer signs in with the one-time password: the console sends them to their
        // account page, which says why, and every other page leads back there until they replace it.
        browser.signIn(base, "newbie", password, "/account");
        browser.await(10, d -> d.findElement(By.id("one-time")).isDisplayed() ? true : null);
        assertTrue(browser.driver.findElement(By.cssSelector("header .who")).getText().contains("newbie (engineer)"));
        browser.driver.get(base + "/tickets");
        browser.await(10, d -> d.getCurrentUrl().endsWith("/account") ? true : null);
        browser.driver.findElement(By.id("pw-current")).sendKeys("not-my-password");
        browser.driver.findElement(By.id("pw-new")).sendKeys("a-better-password");
        browser.driver.findElement(By.id("pw-submit")).click();
        browser.await(10, d -> d.findElement(By.id("error")).getText().contains("current password is wrong") ? true : null);
        browser.driver.findElement(By.id("pw-current")).clear();
        browser.driver.findElement(By.id("pw-current")).sendKeys(password);
        browser.driver.findElement(By.id("pw-submit")).click();
        browser.await(10, d -> d.getCurrentUrl().contains("/login") ? true : null);
        browser.signIn(base, "newbie", "a-better-password");

        // Their own API tokens: made on the account page, listed with their state, revoked after a confirmation.
        browser.driver.get(base + "/account");
        browser.await(10, d -> d.findElement(By.id("api-tokens")).getText().contains("No API tokens.") ? true : null);
        browser.driver.findElement(By.id("token-name")).clear();
        browser.driver.findElement(By.id("token-name")).sendKeys("nightly");
        browser.driver.findElement(By.id("token-submit")).click();
        browser.await(10, d -> d.findElement(By.id("api-tokens")).getText().contains("nightly active") ? true : null);
        assertTrue(browser.driver.findElement(By.id("secret")).getText().startsWith("API token (shown once): flt_"));
        browser.driver.findElement(By.cssSelector("#api-tokens button[data-api-token]")).click();
        browser.driver.switchTo().alert().accept();
        browser.await(10, d -> d.findElement(By.id("api-tokens")).getText().contains("nightly revoked") ? true : null);
    }

    @Test
    void aViewerSeesTheFleetButTheServerRefusesTheirChanges() {
        String password = TestSupport.user(console, "viewer-" + System.nanoTime() % 100000, Role.VIEWER);
        String name = console.accounts().users().list().stream().filter(u -> u.role() == Role.VIEWER)
                .reduce((a, b) -> b).orElseThrow().username();
        browser.signIn(base, name, password);
        // The page hides the admin link once it knows who is signed in (after /api/me answers).
        browser.await(10, d -> String.valueOf(d.findElement(By.cssSelector("a[data-nav=admin]")).getDomAttribute("class"))
                .contains("hidden") ? true : null);
        // Even a hand-made request from the viewer's own page, with the CSRF token, is refused.
        Object status = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/me').then(r => r.json()).then(me => fetch('/api/me/api-tokens', {method: 'POST',
                  headers: {'X-CSRF-Token': me.csrfToken, 'Content-Type': 'application/json'}, body: '{}'}))
                  .then(r => done(r.status));
                """);
        assertEquals(403L, status);
    }
}

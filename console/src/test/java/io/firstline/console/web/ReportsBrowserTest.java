package io.firstline.console.web;

import io.firstline.wire.KeyValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentRuntime;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.Role;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Inventory;
import io.firstline.proto.InventoryItem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The /reports page in headless Chromium: a real agent's fault becomes a
 * ticket that keeps this machine's OS and agent version, and the page shows
 * it in the common-problems table and chart and in the service figures;
 * grouping, sorting and filtering go to the server and into the URL; names
 * a hostile agent sent stay text.
 */
class ReportsBrowserTest {
    static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\">";

    @TempDir
    static Path dir;
    static Console console;
    static Browser browser;
    static AgentRuntime agent;
    static final AtomicReference<Double> signal = new AtomicReference<>(0.0);
    static String base;

    @RegisterExtension
    final ScreenshotOnFailure screenshots = new ScreenshotOnFailure(() -> browser);

    @BeforeAll
    static void start() throws Exception {
        console = TestSupport.consoleWithRules(dir.resolve("console"), TestSupport.SIGNAL_RULES);
        base = "http://127.0.0.1:" + console.httpPort();
        agent = TestSupport.signalAgent(console, dir.resolve("agent"), signal);
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

    private static String loaded() {
        Object v = browser.driver.executeScript("return document.body.dataset.loaded || null;");
        return v instanceof String s ? s : null;
    }

    @Test
    void aRealFaultShowsUpInTheReportsWithItsMachineAndTheViewIsInTheUrl() throws Exception {
        TestSupport.Auth admin = TestSupport.adminToken(console);
        // The real agent's inventory has arrived, then its fault opens a ticket.
        JsonNode a = browser.await(30, d -> {
            JsonNode x = TestSupport.get(base + "/api/agents/" + agent.agentId(), admin).json();
            return x.path("inventory").size() > 3 ? x : null;
        });
        signal.set(0.9);
        browser.await(20, d -> TestSupport.get(base + "/api/tickets?rule=test_signal_high", admin).json().size() == 1 ? true : null);
        String os = (a.path("host").path("osFamily").asText() + " " + a.path("host").path("osVersion").asText()).strip();
        String version = a.path("agentVersion").asText();

        // A second machine whose agent sent hostile names: they stay text.
        FleetState.Session s = console.fleet().connect(Hello.newBuilder().setAgentId("evil-1").setBootEpoch(1).setAgentVersion("9.9")
                .setHost(HostFacts.newBuilder().setHostname(HOSTILE).setOsFamily(HOSTILE).setOsVersion("1")).build(), "127.0.0.1");
        s.applyInventory(1, Inventory.newBuilder().setDigest("x").addItems(InventoryItem.newBuilder().setKind("system").setName("system")
                .addAttributes(KeyValues.entry("vendor", "=HYPERLINK(\"x\")")).addAttributes(KeyValues.entry("model", HOSTILE))).build());
        Instant now = Instant.now();
        console.tickets().apply(new FaultEvent(new FaultKey("evil-1", "test_signal_high", ""), true, "test.signal", 1, 0.5, now, now,
                "", 0, 0));

        String password = TestSupport.user(console, "pat", Role.VIEWER);
        browser.signIn(base, "pat", password);
        browser.driver.get(base + "/tickets");
        browser.await(10, d -> d.findElement(By.cssSelector("nav a[data-nav='reports']")).isDisplayed() ? true : null);
        browser.driver.findElement(By.cssSelector("nav a[data-nav='reports']")).click();
        browser.await(10, d -> d.getCurrentUrl().contains("/reports") && "days=30".equals(loaded()) ? true : null);

        // The table: one row per machine kind, this machine's OS and agent version as the agent said at the fault.
        List<WebElement> rows = browser.await(10, d -> {
            List<WebElement> r = d.findElements(By.cssSelector("#cp-table tr.cp-row"));
            return r.size() == 2 ? r : null;
        });
        WebElement mine = rows.stream().filter(r -> r.findElement(By.cssSelector("td[data-field='os']")).getText().equals(os))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + os));
        assertEquals("test_signal_high", mine.findElement(By.cssSelector("td[data-field='rule']")).getText());
        assertEquals(version, mine.findElement(By.cssSelector("td[data-field='agentVersion']")).getText());
        assertEquals("demo", mine.findElement(By.cssSelector("td[data-field='site']")).getText());
        assertEquals("1", mine.findElement(By.cssSelector("td[data-field='tickets']")).getText());
        assertEquals("new", mine.findElement(By.cssSelector("td[data-field='trend']")).getText());
        String table = browser.driver.findElement(By.id("cp-table")).getText();
        assertTrue(table.contains(HOSTILE), table);
        assertTrue(browser.driver.findElements(By.cssSelector("#cp-table img, #sv-machines img")).isEmpty(), "names are text");
        assertNull(browser.driver.executeScript("return window.pwned;"));
        // The chart draws both groups.
        browser.await(10, d -> "2".equals(d.findElement(By.id("cp-chart")).getDomAttribute("data-series"))
                && !d.findElements(By.cssSelector("#cp-chart canvas")).isEmpty() ? true : null);

        // The service figures: two tickets, the busiest machines listed by name (as text).
        browser.await(10, d -> d.findElement(By.id("sv-tiles")).getText().startsWith("2") ? true : null);
        assertTrue(browser.driver.findElement(By.id("sv-noisy")).getText().contains("test_signal_high"));
        assertTrue(browser.driver.findElement(By.id("sv-machines")).getText().contains("<img src=x"),
                browser.driver.findElement(By.id("sv-machines")).getText());

        // Group by rule only: one row with both tickets; the view is in the URL.
        for (String dim : List.of("os", "hardware", "agentVersion", "site")) {
            browser.driver.findElement(By.cssSelector("input.group[value='" + dim + "']")).click();
        }
        browser.await(10, d -> "days=30&groupBy=rule".equals(loaded()) ? true : null);
        List<WebElement> byRule = browser.driver.findElements(By.cssSelector("#cp-table tr.cp-row"));
        assertEquals(1, byRule.size());
        assertEquals("2", byRule.get(0).findElement(By.cssSelector("td[data-field='tickets']")).getText());
        assertTrue(browser.driver.getCurrentUrl().endsWith("/reports?days=30&groupBy=rule"), browser.driver.getCurrentUrl());
        assertTrue(browser.driver.findElement(By.id("csv")).getDomAttribute("href")
                .equals("/api/reports/common-problems.csv?days=30&groupBy=rule"));

        // Sorting is the server's: a click on a header asks for it, a second click turns it round.
        browser.driver.findElement(By.cssSelector("#cp-table th[data-sort='machines']")).click();
        browser.await(10, d -> "days=30&groupBy=rule&sort=machines".equals(loaded()) ? true : null);
        browser.driver.findElement(By.cssSelector("#cp-table th[data-sort='machines']")).click();
        browser.await(10, d -> "days=30&groupBy=rule&sort=machines&order=asc".equals(loaded()) ? true : null);

        // A filter keeps the site's tickets only; another period reloads both reports.
        browser.driver.findElement(By.id("f-site")).sendKeys("demo");
        browser.await(10, d -> String.valueOf(loaded()).contains("site=demo") ? true : null);
        browser.await(10, d -> {
            List<WebElement> r = d.findElements(By.cssSelector("#cp-table tr.cp-row"));
            return r.size() == 1 && r.get(0).findElement(By.cssSelector("td[data-field='tickets']")).getText().equals("1") ? true : null;
        });
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("days"))).selectByValue("7");
        browser.await(10, d -> String.valueOf(loaded()).startsWith("days=7&") ? true : null);

        // The URL brings the same view back.
        browser.driver.get(browser.driver.getCurrentUrl());
        browser.await(10, d -> String.valueOf(loaded()).startsWith("days=7&groupBy=rule") ? true : null);
        assertEquals("demo", browser.driver.findElement(By.id("f-site")).getDomProperty("value"));
        assertTrue(!browser.driver.findElement(By.cssSelector("input.group[value='os']")).isSelected());
        assertEquals(List.of(), browser.cspViolations());
        signal.set(0.0);
    }
}

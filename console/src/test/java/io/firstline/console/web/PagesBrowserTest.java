package io.firstline.console.web;

import io.firstline.wire.KeyValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.Role;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import io.firstline.proto.CollectorRun;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Inventory;
import io.firstline.proto.InventoryItem;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.TextValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * What the fleet, ticket desk, host and admin pages tell an engineer, in
 * headless Chromium: why a host is red, which tickets belong to it, what its
 * user is told, whether it is offline, its site, uptime, users and addresses,
 * every collector's outcome, a large inventory kept out of the way, and
 * admin actions that ask first.
 */
class PagesBrowserTest {
    static final int PACKAGES = 941;

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
        browser.signIn(base, "admin", adminPassword);
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

    private static SeriesDef series(int id, String metric, String resource, int collector) {
        return SeriesDef.newBuilder().setId(id).setMetric(metric).setResource(resource).setCollector(collector).build();
    }

    private static CollectorRun run(int collector, CollectorRun.Outcome outcome, String error) {
        return CollectorRun.newBuilder().setCollector(collector).setOutcome(outcome).setDurationMicros(1500).setError(error).build();
    }

    /**
     * An agent like a desktop: collectors os (0), sensors (1, unsupported),
     * network (2); 941 installed packages; connected from port 53122 (as Java writes a remote address).
     */
    private static FleetState.Session desktop(String id) {
        FleetState.Session s = console.fleet().connect(Hello.newBuilder().setAgentId(id).setBootEpoch(1).setAgentVersion("0.1.0")
                .addCollectors("os").addCollectors("sensors").addCollectors("network")
                .setHost(HostFacts.newBuilder().setHostname(id + ".example").setOsFamily("Debian").setOsVersion("12")
                        .setLogicalCpus(4).setMemoryBytes(8L << 30)).build(), "/192.0.2.10:53122");
        s.site("lab-east");
        Inventory.Builder inv = Inventory.newBuilder().setDigest("d-" + id)
                .addItems(InventoryItem.newBuilder().setKind("cpu").setName("cpu").addAttributes(KeyValues.entry("model", "Test CPU")));
        for (int i = 0; i < PACKAGES; i++) {
            inv.addItems(InventoryItem.newBuilder().setKind("app").setName(String.format("pkg-%04d", i)).addAttributes(KeyValues.entry("version", "1." + i)));
        }
        s.inventory(1, inv.build());
        long now = System.currentTimeMillis();
        long boot = now / 1000 - 3 * 86_400 - 4 * 3_600;
        // The first sample of the boot: every collector runs.
        s.sample(2, Sample.newBuilder().setTimestampMs(now - 20_000)
                .addAllNewSeries(List.of(series(1, "os.uptime_seconds", "", 0), series(2, "os.boot_time_seconds", "", 0),
                        series(3, "os.sessions", "", 0), series(4, "os.users", "", 0),
                        series(5, "net.rx_bytes_per_second", "eth0", 2), series(6, "net.tx_bytes_per_second", "eth0", 2),
                        series(7, "net.addresses", "eth0", 2), series(8, "net.addresses", "lo", 2)))
                .addSeries(1).addValues(now / 1000.0 - boot).addSeries(2).addValues(boot).addSeries(3).addValues(2)
                .addSeries(5).addValues(9.5e8).addSeries(6).addValues(1e8)
                .addTexts(TextValue.newBuilder().setSeries(4).setValue("erin sam"))
                .addTexts(TextValue.newBuilder().setSeries(7).setValue("192.0.2.10/24 2001:db8::10/64"))
                .addTexts(TextValue.newBuilder().setSeries(8).setValue("127.0.0.1/8"))
                .addCollectors(run(0, CollectorRun.Outcome.OK, "")).addCollectors(run(1, CollectorRun.Outcome.UNSUPPORTED,
                        "UnsupportedOperationException: the platform reports no temperature"))
                .addCollectors(run(2, CollectorRun.Outcome.OK, "")).build());
        // Later samples: only the network collector, on its faster schedule.
        for (int k = 1; k <= 2; k++) {
            s.sample(2 + k, Sample.newBuilder().setTimestampMs(now - 20_000 + k * 10_000L)
                    .addSeries(5).addValues(9.9e8).addSeries(6).addValues(2e8).addTexts(TextValue.newBuilder().setSeries(7)
                            .setValue("192.0.2.10/24 2001:db8::10/64")).addCollectors(run(2, CollectorRun.Outcome.OK, "")).build());
        }
        return s;
    }

    private static long fault(String agent, String rule, String resource, String metric, double value, double threshold) {
        Instant at = Instant.now();
        return console.tickets().apply(new FaultEvent(new FaultKey(agent, rule, resource), true, metric, value, threshold, at, at, "", 0, 0))
                .ticket().orElseThrow().id();
    }

    private static WebElement fleetRow(String id) {
        List<WebElement> rows = browser.driver.findElements(By.cssSelector(".vt-row[data-id='" + id + "']"));
        return rows.isEmpty() || !rows.get(0).isDisplayed() ? null : rows.get(0);
    }

    @Test
    void theFleetSaysWhyAHostIsRedAndItsTicketCountOpensTheDeskForThatHost() {
        FleetState.Session a = desktop("pc-red");
        FleetState.Session other = desktop("pc-other");
        try {
            long warning = fault("pc-red", "disk_almost_full", "/var", "fs.used_ratio", 0.95, 0.9);
            long critical = fault("pc-red", "filesystem_read_only", "/home", "fs.read_only", 1, 1);
            long elsewhere = fault("pc-other", "disk_almost_full", "/", "fs.used_ratio", 0.95, 0.9);
            TestSupport.Auth admin = TestSupport.adminToken(console);
            String criticalTitle = TestSupport.get(base + "/api/tickets/" + critical, admin).json().path("title").asText();
            assertFalse(criticalTitle.isEmpty());

            browser.driver.get(base + "/fleet");
            browser.driver.findElement(By.id("search")).sendKeys("pc-");
            WebElement health = browser.await(15, d -> {
                WebElement r = fleetRow("pc-red");
                return r != null && "critical".equals(r.getDomAttribute("data-health")) ? r.findElement(By.cssSelector("div:nth-child(1)")) : null;
            });
            // The critical dot says why: the top ticket's title (hover text), and how many more there are.
            // Found again by id each time: the fleet is virtualised and re-sorts live, so an element may show another host later.
            assertEquals(criticalTitle + " (+1 more)", browser.await(10, d -> {
                WebElement r = fleetRow("pc-red");
                return r == null ? null : r.findElement(By.cssSelector("div:nth-child(1)")).getDomAttribute("title");
            }));
            // Read from the row found again in one step: between finding the row and reading its cell a re-sort
            // may give that virtual row to another host (pc-other, with 1 ticket).
            assertEquals("2 /tickets?agent=pc-red", browser.await(10, d -> {
                WebElement r = fleetRow("pc-red");
                if (r == null) {
                    return null;
                }
                WebElement count = r.findElement(By.cssSelector("div:nth-child(8) a"));
                String seen = count.getText() + " " + count.getDomAttribute("href");
                return seen.endsWith("agent=pc-red") ? seen : null;
            }));

            // The count opens the desk with that host's tickets only, until the filter is cleared.
            // The link is found again right before the click: a live re-sort may have given the
            // virtual row that held it to another host in the meantime.
            browser.await(10, d -> {
                WebElement r = fleetRow("pc-red");
                WebElement link = r == null ? null : r.findElement(By.cssSelector("div:nth-child(8) a"));
                if (link == null || !"/tickets?agent=pc-red".equals(link.getDomAttribute("href"))) {
                    return null;
                }
                link.click();
                return true;
            });
            browser.await(10, d -> d.getCurrentUrl().endsWith("/tickets?agent=pc-red") ? true : null,
                    () -> "the desk for pc-red; the browser is at " + browser.driver.getCurrentUrl());
            List<String> expected = List.of(String.valueOf(critical), String.valueOf(warning));
            browser.await(10, d -> queueIds().equals(expected) ? true : null,
                    () -> "queue " + expected + "; it shows " + queueIds() + " at " + browser.driver.getCurrentUrl());
            assertTrue(browser.driver.findElement(By.id("f-agent")).getText().contains("pc-red"));
            browser.click("f-agent-clear");
            browser.await(10, d -> queueIds().contains(String.valueOf(elsewhere)) ? true : null);
            assertEquals(List.of(), browser.cspViolations());
        } finally {
            a.closed();
            other.closed();
        }
    }

    private static List<String> queueIds() {
        return browser.driver.findElements(By.cssSelector("#queue tr.ticket")).stream().map(r -> r.getDomAttribute("data-id")).toList();
    }

    @Test
    void theDeskShowsWhatTheUserIsToldTheKnowledgeBaseAndAnOfflineHost() throws Exception {
        FleetState.Session s = desktop("pc-desk");
        long id = fault("pc-desk", "filesystem_read_only", "/data", "fs.read_only", 1, 1);
        TestSupport.Auth admin = TestSupport.adminToken(console);
        JsonNode ticket = TestSupport.get(base + "/api/tickets/" + id, admin).json();
        String userText = ticket.path("userText").asText();
        assertFalse(userText.isEmpty());
        assertEquals("online", ticket.path("hostStatus").asText());

        browser.driver.get(base + "/tickets?id=" + id);
        browser.await(10, d -> d.findElements(By.id("detail-user-text")).isEmpty() ? null : true);
        assertTrue(browser.driver.findElement(By.id("detail-user-text")).getText().contains(userText));
        assertEquals("kb-readonly-fs, kb-disk-health", browser.driver.findElement(By.id("detail-kb")).getText());
        assertFalse(browser.driver.findElement(By.id("detail-host")).getText().contains("offline"));

        // The agent goes away: the desk says so, in the queue and on the ticket.
        s.closed();
        assertEquals("offline", TestSupport.get(base + "/api/tickets/" + id, admin).json().path("hostStatus").asText());
        browser.await(10, d -> {
            WebElement row = d.findElement(By.cssSelector("#queue tr[data-id='" + id + "']"));
            return row.findElements(By.cssSelector(".host-offline")).isEmpty() ? null : true;
        });
        browser.driver.navigate().refresh();
        browser.await(10, d -> d.findElement(By.id("detail-host")).getText().contains("offline") ? true : null);
    }

    @Test
    void theHostPageShowsSiteUptimeUsersAndAddressesEveryCollectorAndAFoldedInventory() {
        FleetState.Session s = desktop("pc-host");
        try {
            browser.driver.get(base + "/hosts/pc-host");
            browser.await(15, d -> {
                String p = d.findElement(By.id("chart-net")).getDomAttribute("data-points");
                return p != null && Integer.parseInt(p) >= 2 ? true : null;
            });
            browser.await(10, d -> "lab-east".equals(d.findElement(By.id("ov-site")).getText()) ? true : null);
            assertTrue(browser.driver.findElement(By.id("ov-uptime")).getText().startsWith("3 d 4 h"),
                    browser.driver.findElement(By.id("ov-uptime")).getText());
            assertFalse(browser.driver.findElement(By.id("ov-last-boot")).getText().equals("–"));
            assertEquals("erin sam", browser.driver.findElement(By.id("ov-users")).getText());
            assertEquals("eth0 192.0.2.10/24 2001:db8::10/64", browser.driver.findElement(By.id("ov-addresses")).getText());
            // Where the connection comes from, without the agent's source port.
            assertEquals("192.0.2.10", browser.driver.findElement(By.id("ov-connected-from")).getText());
            assertFalse(browser.driver.findElement(By.id("overview")).getText().contains("53122"));

            // Every collector's latest outcome, including those that did not run in the last sample.
            String collectors = browser.driver.findElement(By.id("collectors")).getText();
            assertTrue(collectors.contains("sensors unsupported"), collectors);
            assertTrue(collectors.contains("the platform reports no temperature"), collectors);
            assertTrue(collectors.contains("os ok"), collectors);

            // The network chart's axis is wide enough for its widest label.
            Object fits = browser.driver.executeScript("""
                    const over = document.querySelector('#chart-net .u-over');
                    const ctx = document.createElement('canvas').getContext('2d');
                    ctx.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
                    const need = Math.max(...['1023.9 KiB/s', '1023.9 MiB/s', '1023.9 GiB/s'].map(t => ctx.measureText(t).width)) + 15;
                    return [over.offsetLeft, need];
                    """);
            List<?> widths = (List<?>) fits;
            assertTrue(((Number) widths.get(0)).doubleValue() >= ((Number) widths.get(1)).doubleValue(), "axis and label widths: " + widths);

            // 941 packages do not make a page of tens of thousands of pixels: the inventory is folded...
            assertTrue(browser.driver.findElement(By.id("inventory-count")).getText().contains((PACKAGES + 1) + " items"));
            assertFalse(browser.driver.findElement(By.id("inventory")).isDisplayed());
            long height = ((Number) browser.driver.executeScript("return document.documentElement.scrollHeight;")).longValue();
            assertTrue(height < 3000, "page height " + height);
            // ...and, opened, shows a bounded number of rows and finds any package by filter.
            browser.driver.findElement(By.cssSelector("#inventory-box summary")).click();
            browser.await(5, d -> d.findElement(By.id("inventory")).isDisplayed() ? true : null);
            assertTrue(browser.driver.findElements(By.cssSelector("#inventory tr")).size() <= 101);
            assertTrue(browser.driver.findElement(By.id("inventory")).getText().startsWith("Kind Name Details\ncpu cpu model=Test CPU"));
            browser.driver.findElement(By.id("inventory-filter")).sendKeys("pkg-0777");
            browser.await(5, d -> d.findElements(By.cssSelector("#inventory tr")).size() == 2 ? true : null);
            assertTrue(browser.driver.findElement(By.id("inventory")).getText().contains("app pkg-0777 version=1.777"));
            assertEquals(List.of(), browser.cspViolations());
        } finally {
            s.closed();
        }
    }

    @Test
    void adminActionsAskFirstAndDoNothingWhenCancelled() {
        console.accounts().createUser("dana", Role.ENGINEER).orElseThrow();
        browser.driver.get(base + "/admin");
        browser.await(10, d -> d.findElements(By.cssSelector("button[data-toggle='dana']")).isEmpty() ? null : true);

        // Disable: cancelled, nothing happens; confirmed, dana is disabled.
        clickWhenStable("button[data-toggle='dana']");
        assertTrue(browser.await(5, ExpectedConditions.alertIsPresent()).getText().contains("Disable dana?"));
        browser.driver.switchTo().alert().dismiss();
        assertFalse(user("dana").disabled());
        clickWhenStable("button[data-toggle='dana']");
        browser.await(5, ExpectedConditions.alertIsPresent()).accept();
        browser.await(10, d -> user("dana").disabled() ? true : null);
        // The page redraws its user table after the change: wait for that before the next click.
        browser.await(10, d -> "Enable".equals(d.findElement(By.cssSelector("button[data-toggle='dana']")).getText()) ? true : null);

        // Reset password: cancelled, no new password.
        clickWhenStable("button[data-reset='dana']");
        assertTrue(browser.await(5, ExpectedConditions.alertIsPresent()).getText().contains("Reset the password of dana?"));
        browser.driver.switchTo().alert().dismiss();
        assertFalse(browser.driver.findElement(By.id("secret")).isDisplayed());

        // Role change: cancelled, the select goes back and the role stays.
        WebElement role = browser.driver.findElement(By.cssSelector("select[aria-label='role of dana']"));
        new Select(role).selectByValue("admin");
        assertTrue(browser.await(5, ExpectedConditions.alertIsPresent()).getText().contains("Make dana an admin"));
        browser.driver.switchTo().alert().dismiss();
        assertEquals("engineer", new Select(browser.driver.findElement(By.cssSelector("select[aria-label='role of dana']")))
                .getFirstSelectedOption().getDomAttribute("value"));
        assertEquals(Role.ENGINEER, user("dana").role());
        new Select(browser.driver.findElement(By.cssSelector("select[aria-label='role of dana']"))).selectByValue("viewer");
        browser.await(5, ExpectedConditions.alertIsPresent()).accept();
        browser.await(10, d -> user("dana").role() == Role.VIEWER ? true : null);
    }

    /** Clicks the element, retrying while the page redraws it. */
    private static void clickWhenStable(String css) {
        browser.await(10, d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    private static io.firstline.console.auth.User user(String name) {
        return console.accounts().users().list().stream().filter(u -> u.username().equals(name)).findFirst().orElseThrow();
    }
}

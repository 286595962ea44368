package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.Registration;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.Role;
import java.nio.file.Path;
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
 * A fault injected into a real agent (a collector whose signal the test
 * sets) shows up live on the open ticket desk and on the fleet page; a viewer
 * cannot acknowledge it; an engineer acknowledges and resolves it in the
 * browser. Real console, real agent, headless Chromium.
 */
class TicketDeskBrowserTest {

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
        // Top processes in the shape the process collector reports them (slots cpu1.., mem1..), with a hostile name.
        agent = TestSupport.signalAgent(console, dir.resolve("agent"), signal, new Registration("testprocs", true, probe -> out -> {
            out.text("process.name", "cpu1", "<b>busy</b>");
            out.text("process.user", "cpu1", "root");
            out.value("process.pid", "cpu1", 4242);
            out.value("process.cpu_ratio", "cpu1", 0.75);
            out.value("process.rss_bytes", "cpu1", 300 << 20);
        }));
        browser = Browser.start(1400, 900);
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

    private static WebElement ticketRow() {
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#queue tr.ticket"));
        return rows.stream().filter(r -> r.getText().contains("Test signal high")).findFirst().orElse(null);
    }

    private static String detailState() {
        Object s = browser.driver.executeScript("const e = document.getElementById('detail-state'); return e && e.textContent;");
        return s instanceof String str ? str : null;
    }

    @Test
    void aFaultShowsUpLiveAndIsWorkedThroughInTheBrowserButNotByAViewer() throws Exception {
        String engineerPassword = TestSupport.user(console, "erin", Role.ENGINEER);
        String viewerPassword = TestSupport.user(console, "victor", Role.VIEWER);

        // The desk is open before the fault happens.
        browser.signIn(base, "erin", engineerPassword);
        browser.driver.get(base + "/tickets");
        browser.await(10, d -> d.findElements(By.cssSelector("#queue tr")).isEmpty() ? null : true);
        browser.driver.executeScript("window.notReloaded = 1;");
        signal.set(0.9);
        WebElement row = browser.await(15, d -> ticketRow());
        assertEquals(1L, browser.driver.executeScript("return window.notReloaded;"));
        assertTrue(row.getText().contains("critical"), row.getText());
        assertTrue(row.findElement(By.cssSelector(".sla")).getText().startsWith("ack in "), row.getText());
        String id = row.getDomAttribute("data-id");

        // The fleet page shows the agent critical, with its open ticket.
        browser.driver.get(base + "/fleet");
        browser.await(15, d -> {
            List<WebElement> r = d.findElements(By.cssSelector(".vt-row[data-id='" + agent.agentId() + "']"));
            return !r.isEmpty() && "critical".equals(r.get(0).getDomAttribute("data-health")) ? true : null;
        });

        // So does its host page, with the ticket linked; its top processes show, names as text.
        browser.driver.get(base + "/hosts/" + agent.agentId());
        browser.await(15, d -> d.findElement(By.id("tickets")).getText().contains("Test signal high")
                && "dot h-critical".equals(d.findElement(By.id("health")).getDomAttribute("class")) ? true : null);
        String top = browser.await(10, d -> {
            String t = d.findElement(By.id("top-cpu")).getText();
            return t.contains("4242") ? t : null;
        });
        assertTrue(top.contains("<b>busy</b> 4242 root 75% 300.0 MiB"), top);

        // A viewer sees the ticket, cannot press Acknowledge, and the server refuses a hand-made request.
        browser.signIn(base, "victor", viewerPassword);
        browser.driver.get(base + "/tickets?id=" + id);
        browser.await(10, d -> "open".equals(detailState()) ? true : null);
        assertFalse(browser.driver.findElement(By.id("act-ack")).isEnabled());
        Object status = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/me').then(r => r.json()).then(me => fetch('/api/tickets/' + arguments[0] + '/ack', {method: 'POST',
                  headers: {'X-CSRF-Token': me.csrfToken, 'Content-Type': 'application/json'}, body: '{}'}))
                  .then(r => done(r.status));
                """, id);
        assertEquals(403L, status);
        TestSupport.Auth admin = TestSupport.adminToken(console);
        assertEquals("open", TestSupport.get(base + "/api/tickets/" + id, admin).json().path("state").asText());

        // The engineer acknowledges and resolves it in the browser; the timeline says who.
        browser.signIn(base, "erin", engineerPassword);
        browser.driver.get(base + "/tickets?id=" + id);
        browser.await(10, d -> "open".equals(detailState()) ? true : null);
        browser.click("act-ack");
        browser.await(10, d -> "acknowledged".equals(detailState()) ? true : null);
        browser.await(5, d -> d.findElement(By.id("timeline")).getText().contains("acknowledged by erin") ? true : null);
        browser.driver.findElement(By.id("action-text")).sendKeys("restarted the signal");
        browser.click("act-resolve");
        browser.await(10, d -> "resolved".equals(detailState()) ? true : null);
        browser.await(5, d -> d.findElement(By.id("timeline")).getText().contains("resolved by erin") ? true : null);
        assertEquals("resolved", TestSupport.get(base + "/api/tickets/" + id, admin).json().path("state").asText());
        signal.set(0.0);
    }

    @Test
    void aUsersReportShowsItsWordsAndSnapshotAndTheEngineerRepliesPublicly() throws Exception {
        String password = TestSupport.user(console, "uma", Role.ENGINEER);
        String hostile = "<img src=x onerror=\"window.pwned=1\"> my screen froze";
        io.firstline.proto.LocalResponse r = io.firstline.agent.voice.LocalClient.ask(agent.localSocket().orElseThrow(),
                io.firstline.proto.LocalRequest.newBuilder().setReport(io.firstline.proto.LocalReport.newBuilder()
                        .setText(com.google.protobuf.ByteString.copyFromUtf8(hostile))).build());
        assertEquals("", r.getError());

        browser.signIn(base, "uma", password);
        browser.driver.get(base + "/tickets");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("f-source"))).selectByValue("user");
        WebElement row = browser.await(20, d -> d.findElements(By.cssSelector("#queue tr.ticket")).stream()
                .filter(x -> x.getText().contains("my screen froze")).findFirst().orElse(null));
        assertTrue(row.findElement(By.cssSelector(".source")).getText().equals("user"), row.getText());
        assertTrue(browser.driver.findElements(By.cssSelector("#queue tr.ticket")).stream()
                .allMatch(x -> x.findElement(By.cssSelector(".source")).getText().equals("user")), "the filter keeps user reports only");
        row.findElement(By.cssSelector("a")).click();
        browser.await(10, d -> d.findElements(By.id("report-text")).isEmpty() ? null : true);
        assertEquals(hostile, browser.driver.findElement(By.id("report-text")).getText(), "the words as text, not HTML");
        assertEquals(System.getProperty("user.name"), browser.driver.findElement(By.id("reporter")).getText());
        assertTrue(browser.driver.findElements(By.cssSelector("table.snapshot[data-name='machine']")).size() == 1);
        assertTrue(browser.driver.findElement(By.cssSelector("table.snapshot[data-name='top processes']")).getText().contains("<b>busy</b>"));
        assertEquals(null, browser.driver.executeScript("return window.pwned;"));

        browser.driver.findElement(By.id("reply-text")).sendKeys("We are looking at it now.");
        assertTrue(browser.driver.findElement(By.id("reply-public")).isSelected(), "public is preselected on a user's ticket");
        browser.click("act-reply");
        browser.await(10, d -> d.findElement(By.id("timeline")).getText().contains("public reply by uma") ? true : null);
    }
    @Test
    void anEngineerOpensATicketByHandWithTheNewTicketForm() throws Exception {
        String password = TestSupport.user(console, "nina", Role.ENGINEER);
        String viewerPassword = TestSupport.user(console, "vera", Role.VIEWER);
        String title = "Printer on floor 3 jams <b>again</b>";

        browser.signIn(base, "nina", password);
        browser.driver.get(base + "/tickets");
        browser.await(10, d -> d.findElement(By.id("new-ticket")).isDisplayed() ? true : null);
        browser.click("new-ticket");
        browser.await(10, d -> d.findElement(By.id("new-ticket-form")).isDisplayed() ? true : null);

        // A title is required: the form says so and posts nothing.
        int before = TestSupport.get(base + "/api/tickets?state=all&source=engineer", TestSupport.adminToken(console)).json().size();
        browser.click("nt-submit");
        browser.await(5, d -> d.findElement(By.id("nt-status")).getText().contains("title") ? true : null);

        browser.driver.findElement(By.id("nt-title")).sendKeys(title);
        browser.driver.findElement(By.id("nt-description")).sendKeys("Called in by reception at 9:05; paper tray 2.");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("nt-severity"))).selectByValue("critical");
        // The machine list is filled from /api/agents once the form opens.
        browser.await(10, d -> d.findElements(By.cssSelector("#nt-agent option[value='" + agent.agentId() + "']")).isEmpty() ? null : true);
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("nt-agent"))).selectByValue(agent.agentId());
        browser.click("nt-submit");

        // The form closes and the new ticket is selected, its title shown as text.
        browser.await(10, d -> d.findElement(By.id("new-ticket-form")).isDisplayed() ? null : true);
        browser.await(10, d -> "opened by hand".equals(d.findElement(By.id("detail-source")).getText()) ? true : null);
        WebElement heading = browser.driver.findElement(By.cssSelector("#detail h2"));
        assertTrue(heading.getText().contains(title), heading.getText());
        assertTrue(browser.driver.findElements(By.cssSelector("#detail h2 b")).isEmpty(), "the title is text, not HTML");
        // The queue redraws every second: read the row inside the wait.
        String id = browser.await(10, d -> d.findElements(By.cssSelector("#queue tr.ticket.selected")).stream()
                .filter(x -> x.getText().contains("Printer on floor 3") && x.findElement(By.cssSelector(".source")).getText().equals("engineer"))
                .map(x -> x.getDomAttribute("data-id")).findFirst().orElse(null));
        assertTrue(browser.driver.findElement(By.id("timeline")).getText().contains("opened by nina"),
                browser.driver.findElement(By.id("timeline")).getText());

        // Stored as asked: source engineer, the severity, the machine, who opened it.
        TestSupport.Auth admin = TestSupport.adminToken(console);
        com.fasterxml.jackson.databind.JsonNode list = TestSupport.get(base + "/api/tickets?state=all&source=engineer", admin).json();
        assertEquals(before + 1, list.size());
        com.fasterxml.jackson.databind.JsonNode t = TestSupport.get(base + "/api/tickets/" + id, admin).json();
        assertEquals(title, t.path("title").asText());
        assertEquals("critical", t.path("severity").asText());
        assertEquals("engineer", t.path("source").asText());
        assertEquals(agent.agentId(), t.path("agentId").asText());
        assertEquals("Called in by reception at 9:05; paper tray 2.", t.path("description").asText());

        // A viewer gets no form.
        browser.signIn(base, "vera", viewerPassword);
        browser.driver.get(base + "/tickets");
        browser.await(10, d -> d.findElements(By.cssSelector("#queue tr")).isEmpty() ? null : true);
        assertFalse(browser.driver.findElement(By.id("new-ticket")).isDisplayed());
    }
}

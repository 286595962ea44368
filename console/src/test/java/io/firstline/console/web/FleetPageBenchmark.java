package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.fleet.SimulatedAgents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The fleet page with 10,000 simulated agents in headless Chromium
 * (docs/benchmarks.md, "Fleet page"): time from navigation to the first
 * rows on screen, and from a change in the console to the changed row on
 * screen, while the rest of the fleet keeps reporting (1,000 samples a
 * second, as 10,000 agents at a 10 s interval). Not part of the normal test
 * run; run with
 * {@code ./mvnw -B -pl console -am test -Dtest=FleetPageBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FleetPageBenchmark {
    private static final int AGENTS = 10_000;
    private static final int CHANGES = 30;

    @TempDir
    Path dir;

    @Test
    void tenThousandAgents() throws Exception {
        try (Console console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
             Browser browser = Browser.start(1400, 900)) {
            String base = "http://127.0.0.1:" + console.httpPort();
            String password = TestSupport.adminPassword(console, dir);
            FleetState fleet = console.fleet();
            SplittableRandom random = new SplittableRandom(7);
            List<FleetState.Session> sessions = new ArrayList<>();
            long[] seq = new long[AGENTS];
            for (int i = 0; i < AGENTS; i++) {
                FleetState.Session s = fleet.connect(SimulatedAgents.hello(i), "10.0.0.1:1");
                s.site(SimulatedAgents.site(i));
                s.inventory(++seq[i], SimulatedAgents.inventory(i));
                s.sample(++seq[i], SimulatedAgents.sample(System.currentTimeMillis(), true, random));
                sessions.add(s);
            }
            // The fleet keeps reporting: 1,000 samples a second from random agents.
            ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
            SplittableRandom loadRandom = new SplittableRandom(11);
            load.scheduleAtFixedRate(() -> {
                for (int k = 0; k < 10; k++) {
                    int i = 1 + loadRandom.nextInt(AGENTS - 1);
                    synchronized (sessions.get(i)) {
                        sessions.get(i).sample(++seq[i], SimulatedAgents.sample(System.currentTimeMillis(), false, loadRandom));
                    }
                }
            }, 10, 10, TimeUnit.MILLISECONDS);
            try {
                browser.signIn(base, "admin", password);
                long[] firstRender = new long[7];
                long[] resetAt = new long[firstRender.length];
                for (int run = 0; run < firstRender.length; run++) {
                    browser.driver.navigate().refresh();
                    firstRender[run] = Long.parseLong(browser.await(30, d -> d.findElement(By.tagName("body")).getDomAttribute("data-first-render")));
                    resetAt[run] = Long.parseLong(browser.driver.findElement(By.tagName("body")).getDomAttribute("data-reset-at"));
                    Object timing = browser.driver.executeScript("const n = performance.getEntriesByType('navigation')[0];"
                            + "const r = performance.getEntriesByType('resource');"
                            + "const me = r.find(e => e.name.endsWith('/api/me'));"
                            + "return 'page loaded ' + n.responseEnd.toFixed(0) + ' ms, scripts running (GET /api/me sent) '"
                            + " + (me ? me.startTime.toFixed(0) : '?') + ' ms';");
                    System.out.println("  run " + run + ": " + timing);
                }
                System.out.println("  runs (reset arrived / rows on screen, ms): " + java.util.stream.IntStream.range(0, firstRender.length)
                        .mapToObj(i -> resetAt[i] + "/" + firstRender[i]).toList());
                // Sort by host name so that sim-00000 is the first row on screen, then change it again and again.
                browser.driver.findElement(By.cssSelector(".vt-head div[data-key=host]")).click();
                browser.await(10, d -> d.findElements(By.cssSelector(".vt-row[data-id='sim-00000']")).isEmpty() ? null : true);
                long[] latency = new long[CHANGES];
                for (int c = 0; c < CHANGES; c++) {
                    // Every change shows a new percentage; the observer notes when the cell first shows it.
                    double cpu = (c % 2 == 0 ? 0.101 : 0.601) + c / 100.0;
                    String expected = Math.round(cpu * 100) + "%";
                    browser.driver.executeScript("""
                            window.changedAt = 0;
                            const expected = arguments[0];
                            const cell = document.querySelector(".vt-row[data-id='sim-00000'] div:nth-child(5)");
                            window.observer && window.observer.disconnect();
                            window.observer = new MutationObserver(() => {
                              if (!window.changedAt && cell.textContent.endsWith(expected)) window.changedAt = Date.now();
                            });
                            window.observer.observe(cell, {childList: true, subtree: true, characterData: true});
                            """, expected);
                    long sent = System.currentTimeMillis();
                    synchronized (sessions.get(0)) {
                        sessions.get(0).sample(++seq[0], io.firstline.proto.Sample.newBuilder().setTimestampMs(sent)
                                .addSeries(1).addValues(cpu).build());
                    }
                    long shown = browser.await(10, d -> {
                        Object v = browser.driver.executeScript("return window.changedAt;");
                        return v instanceof Number n && n.longValue() > 0 ? n.longValue() : null;
                    });
                    latency[c] = shown - sent;
                }
                // The server's share of a reset: the rows of 10,000 agents as the JSON the page receives.
                long[] build = new long[7];
                int bytes = 0;
                for (int k = 0; k < build.length; k++) {
                    long b0 = System.nanoTime();
                    List<java.util.Map<String, Object>> rows = new ArrayList<>();
                    for (io.firstline.console.fleet.AgentSummary a : fleet.summaries()) {
                        rows.add(FleetRows.row(a, null));
                    }
                    bytes = Json.write(java.util.Map.of("rows", rows)).length();
                    build[k] = (System.nanoTime() - b0) / 1_000_000;
                }
                Arrays.sort(build);
                System.out.printf("  server builds a reset of %d rows (%d KB of JSON) in: median %d ms, max %d ms%n",
                        AGENTS, bytes / 1024, build[build.length / 2], build[build.length - 1]);
                Arrays.sort(firstRender);
                Arrays.sort(latency);
                System.out.printf("fleet page, %d agents, %d samples/s background load%n", AGENTS, 1000);
                System.out.printf("  first render (navigation start to rows on screen), %d runs: min %d ms, median %d ms, max %d ms%n",
                        firstRender.length, firstRender[0], firstRender[firstRender.length / 2], firstRender[firstRender.length - 1]);
                System.out.printf("  change to screen (console state to row text), %d changes: min %d ms, median %d ms, p90 %d ms, max %d ms%n",
                        CHANGES, latency[0], latency[CHANGES / 2], latency[CHANGES * 9 / 10], latency[CHANGES - 1]);
                assertTrue(firstRender[firstRender.length / 2] <= 1000, "first render over 1 s");
                assertTrue(latency[CHANGES * 9 / 10] <= 1000, "live update over 1 s");
            } finally {
                load.shutdownNow();
            }
        }
    }
}

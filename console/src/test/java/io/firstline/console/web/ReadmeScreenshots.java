package io.firstline.console.web;

import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.fleet.SimulatedAgents;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import io.firstline.proto.Sample;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Takes the README's screenshots (docs/img/*.png) in headless Chromium from a
 * console with 400 simulated agents, one of them with an hour of history. Not
 * part of the normal test run; run with
 * {@code ./mvnw -B -pl console -am test -Dtest=ReadmeScreenshots -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ReadmeScreenshots {
    private static final int AGENTS = 400;

    @TempDir
    Path dir;

    @Test
    void takeScreenshots() throws Exception {
        Path out = Path.of(System.getProperty("firstline.screenshots", "../docs/img"));
        try (Console console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(5)));
             Browser browser = Browser.start(1400, 820)) {
            String base = "http://127.0.0.1:" + console.httpPort();
            String password = TestSupport.adminPassword(console, dir);
            FleetState fleet = console.fleet();
            SplittableRandom random = new SplittableRandom(3);
            long now = System.currentTimeMillis();
            for (int i = 0; i < AGENTS; i++) {
                FleetState.Session s = fleet.connect(SimulatedAgents.hello(i), "10.0.0.1:1");
                s.site(SimulatedAgents.site(i));
                s.inventory(1, SimulatedAgents.inventory(i));
                if (i == 0) {
                    history(s, now);
                } else {
                    s.sample(2, SimulatedAgents.sample(now, true, random));
                }
                if (i % 37 == 5) {
                    s.closed();
                }
            }
            long firstTicket = faults(console);
            browser.signIn(base, "admin", password);
            browser.await(20, d -> d.findElement(By.tagName("body")).getDomAttribute("data-first-render"));
            Thread.sleep(500); // let the rows paint before the picture (a screenshot tool, not a test)
            browser.screenshot(out.resolve("fleet.png"));
            browser.driver.get(base + "/hosts/" + SimulatedAgents.id(0));
            browser.await(20, d -> {
                String p = d.findElement(By.id("chart-net")).getDomAttribute("data-points");
                return p != null && Integer.parseInt(p) > 100 ? true : null;
            });
            browser.driver.executeScript("window.scrollTo(0, 0)");
            Thread.sleep(300);
            browser.screenshot(out.resolve("host.png"));
 browser.driver.get(base + "/tickets?id=" + firstTicket);
            browser.await(20, d -> d.findElements(By.id("timeline")).isEmpty() ? null : true);
            Thread.sleep(300);
            browser.screenshot(out.resolve("tickets.png"));
            System.out.println("screenshots written to " + out.toAbsolutePath().normalize());
        }
    }

    /**
     * The reports page (docs/img/reports.png): 36 machines of four kinds at
     * three sites, two months of tickets on a clock moved by hand, read-only
     * file systems growing on one laptop model this month.
     */
    @Test
    void takeReportsScreenshot() throws Exception {
        Path out = Path.of(System.getProperty("firstline.screenshots", "../docs/img"));
        io.firstline.console.MutableClock clock = new io.firstline.console.MutableClock(
                Instant.now().minus(java.time.Duration.ofDays(65)).truncatedTo(java.time.temporal.ChronoUnit.HOURS));
        java.nio.file.Files.writeString(dir.resolve("rules.yaml"), ReportsApiTest.RULES);
        try (Console console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)), clock);
             Browser browser = Browser.start(1400, 1700)) {
            String base = "http://127.0.0.1:" + console.httpPort();
            String password = TestSupport.adminPassword(console, dir);
            String[] sites = {"berlin", "paris", "madrid"};
            for (int i = 0; i < 36; i++) {
                String id = (i % 4 == 1 ? "b" : "a") + String.format("%02d", i);
                ReportMachines.connect(console, clock, id, sites[i % 3], i % 5 == 0 ? "13" : "12", i % 3 == 0 ? "1.5.0" : "1.4.2");
            }
            SplittableRandom r = new SplittableRandom(11);
            long seq = 0;
            for (int hour = 0; hour < 60 * 24; hour += 3) {
                clock.advance(java.time.Duration.ofHours(3));
                boolean thisMonth = hour >= 30 * 24;
                double p = thisMonth ? 0.12 : 0.05;
                if (r.nextDouble() < p) {
                    seq = raiseAndClear(console, clock, "a" + String.format("%02d", 4 * r.nextInt(9)), "filesystem_read_only", "/", r, seq);
                }
                if (r.nextDouble() < 0.06) {
                    seq = raiseAndClear(console, clock, String.format("b%02d", 4 * r.nextInt(9) + 1), "memory_pressure", "", r, seq);
                }
                if (r.nextDouble() < 0.03) {
                    seq = raiseAndClear(console, clock, String.format("a%02d", 4 * r.nextInt(9) + 2), "memory_pressure", "", r, seq);
                }
            }
            browser.signIn(base, "admin", password);
            browser.driver.get(base + "/reports?days=30&groupBy=rule,hardware,os");
            browser.await(30, d -> d.findElement(By.tagName("body")).getDomAttribute("data-service-loaded") != null
                    && d.findElement(By.tagName("body")).getDomAttribute("data-loaded") != null ? true : null);
            Thread.sleep(500); // let the chart paint before the picture (a screenshot tool, not a test)
            browser.screenshot(out.resolve("reports.png"));
            System.out.println("screenshot written to " + out.resolve("reports.png").toAbsolutePath().normalize());
        }
    }

    private static long raiseAndClear(Console console, io.firstline.console.MutableClock clock, String agent, String rule,
                                      String resource, SplittableRandom r, long seq) {
        Instant at = clock.instant();
        FaultKey key = new FaultKey(agent, rule, resource);
        console.tickets().apply(new FaultEvent(key, true, "m", 1, 0.5, at, at, "", 1, ++seq));
        clock.advance(java.time.Duration.ofSeconds(300 + r.nextInt(7200)));
        Instant cleared = clock.instant();
        console.tickets().apply(new FaultEvent(key, false, "m", 0, 0.5, cleared, cleared, "recovered", 1, ++seq));
        return seq;
    }

    /** Raises a dozen faults on the simulated agents (tickets as the rules would open them); works a few. */
    private static long faults(Console console) {
        record F(int agent, String rule, String resource, String metric, double value, double threshold) {
        }
        List<F> faults = List.of(new F(12, "filesystem_read_only", "/home", "fs.read_only", 1, 1),
                new F(3, "disk_almost_full", "/var", "fs.used_ratio", 0.97, 0.9),
                new F(47, "memory_pressure", "", "memory.used_ratio", 0.96, 0.9),
                new F(88, "cpu_saturated", "", "cpu.usage_ratio", 0.99, 0.95),
                new F(120, "interface_down", "eth0", "net.up", 0, 1),
                new F(131, "disk_almost_full", "/", "fs.used_ratio", 0.93, 0.9),
                new F(200, "high_iowait", "", "cpu.iowait_ratio", 0.4, 0.3),
                new F(257, "interface_errors", "wlan0", "net.errors_per_second", 12, 1),
                new F(301, "gateway_unreachable", "", "connectivity.gateway_reachable", 0, 1),
                new F(333, "interface_drops", "eth0", "net.drops_per_second", 30, 10));
        Instant now = Instant.now();
        long first = 0;
        int n = 0;
        for (F f : faults) {
            Instant at = now.minusSeconds(60L * (faults.size() - n) * 3);
            var outcome = console.tickets().apply(new FaultEvent(new FaultKey(SimulatedAgents.id(f.agent()), f.rule(), f.resource()),
                    true, f.metric(), f.value(), f.threshold(), at, at, "", 0, 0));
            long id = outcome.ticket().orElseThrow().id();
            if (n == 0) {
                first = id;
            }
            if (n % 3 == 1) {
                console.tickets().acknowledge(id, "erin");
            }
            if (n % 4 == 2) {
                console.tickets().assign(id, "erin", "sam");
            }
            n++;
        }
        console.tickets().acknowledge(first, "erin");
        console.tickets().comment(first, "erin", "Remounted /home read-write; fsck scheduled for tonight.");
        return first;
    }

    /** What the os and network collectors say of the host (uptime, users, addresses), kept until they run again. */
    private static void osFacts(Sample.Builder b, long now) {
        long boot = now / 1000 - 6 * 86_400 - 5 * 3_600;
        String[][] defs = {{"os.uptime_seconds", ""}, {"os.boot_time_seconds", ""}, {"os.users", ""}, {"net.addresses", "eth0"}};
        for (int i = 0; i < defs.length; i++) {
            b.addNewSeries(io.firstline.proto.SeriesDef.newBuilder().setId(101 + i).setMetric(defs[i][0]).setResource(defs[i][1])
                    .setCollector(0));
        }
        b.addSeries(101).addValues(now / 1000.0 - boot).addSeries(102).addValues(boot);
        b.addTexts(io.firstline.proto.TextValue.newBuilder().setSeries(103).setValue("erin"));
        b.addTexts(io.firstline.proto.TextValue.newBuilder().setSeries(104).setValue("10.0.0.12/24 fd00::12/64"));
    }

    /** An hour of smooth made-up history, one sample per 5 s. */
    private static void history(FleetState.Session s, long now) {
        SplittableRandom r = new SplittableRandom(5);
        long seq = 2;
        for (int k = 719; k >= 0; k--) {
            long t = now - k * 5_000L;
            Sample base = SimulatedAgents.sample(t, seq == 2, r);
            Sample.Builder b = base.toBuilder();
            double phase = k / 60.0;
            for (int i = 0; i < b.getSeriesCount(); i++) {
                int id = b.getSeries(i);
                double v = switch (id) {
                    case 1 -> 0.35 + 0.25 * Math.sin(phase) + 0.05 * r.nextDouble();
                    case 8 -> 0.55 + 0.1 * Math.sin(phase / 3);
                    case 14 -> 0.71 + (719 - k) * 0.0002;
                    case 19, 24 -> 0.4;
                    default -> b.getValues(i);
                };
                if (id == 29 || id == 30 || id == 36 || id == 37) {
                    v = (id % 2 == 0 ? 1e6 : 4e5) * (1.2 + Math.sin(phase * 2 + id)) + 1e5 * r.nextDouble();
                }
                b.setValues(i, v);
            }
            if (seq == 2) {
                osFacts(b, now);
            }
            s.sample(seq++, b.build());
        }
    }
}

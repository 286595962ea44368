package io.firstline.console.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.Registration;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault to ticket latency, run by {@code bench/fault-to-ticket.sh} (never by
 * {@code ./mvnw verify}). A real agent and a real console over loopback, the
 * shipped rule engine settings (agent checks every 250 ms), one injected fault
 * at a time on a fresh resource:
 * <ul>
 *   <li>end to end: the value turns bad on the agent → the ticket is returned by GET /api/tickets;</li>
 *   <li>detected to visible: the agent raises the fault (FaultRaised.raised_ms) → visible in the API;</li>
 *   <li>inside the console: the event arrives at the console → its ticket is committed
 *       (the console's own timer, firstline_fault_intake_seconds).</li>
 * </ul>
 */
@Tag("benchmark")
class FaultToTicketBenchmark {
    static final int FAULTS = Integer.getInteger("bench.faults", 250);

    @TempDir
    Path dir;

    @Test
    void faultToTicket() throws Exception {
        Map<String, Double> values = new ConcurrentHashMap<>();
        Registration source = new Registration("bench", true, probe -> out -> values.forEach((r, v) -> out.value("bench.value", r, v)));
        Path data = dir.resolve("console");
        Files.createDirectories(data);
        Files.writeString(data.resolve("rules.yaml"), """
                settings:
                  check_interval: 250ms
                rules:
                  - id: bench_fault
                    metric: bench.value
                    resource: "*"
                    condition: "> 0.5"
                    for: 0s
                    recover: { threshold: 0.5, for: 0s }
                    severity: warning
                    title: "Bench fault {resource}"
                    description: "Injected by the benchmark."
                    user_text: "Benchmark."
                """);
        Console console = Console.start(ConsoleConfig.defaults(data)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
        String base = "http://127.0.0.1:" + console.httpPort();
        TestSupport.Auth auth = TestSupport.adminToken(console);
        AgentRuntime agent = TestSupport.enrolledAgent(console, new AgentRuntime.Settings(List.of(new ConsoleAddress("127.0.0.1",
                console.agentPort())), dir.resolve("agent"), Duration.ofSeconds(10), List.of(source)));
        Histogram endToEnd = new Histogram(60_000_000L, 3);
        Histogram detectedToVisible = new Histogram(60_000_000L, 3);
        try {
            await().atMost(Duration.ofSeconds(30)).until(agent::isConnected);
            Thread.sleep(1000); // the rule set arrives right after the Welcome
            for (int i = 0; i < FAULTS; i++) {
                String resource = "b" + i;
                values.put(resource, 0.0);
            }
            Thread.sleep(1500); // every resource seen healthy by a fast check first
            java.util.Random jitter = new java.util.Random(4);
            for (int i = 0; i < FAULTS; i++) {
                String resource = "b" + i;
                // A random pause, so that faults do not fall at the same phase of the agent's check cycle.
                Thread.sleep(jitter.nextInt(300));
                long t0 = System.nanoTime();
                values.put(resource, 0.9);
                JsonNode ticket = null;
                while (ticket == null) {
                    JsonNode list = TestSupport.get(base + "/api/tickets?rule=bench_fault&text=" + resource + "&limit=5", auth).json();
                    for (JsonNode t : list) {
                        if (t.path("resource").asText().equals(resource)) {
                            ticket = t;
                        }
                    }
                    if (ticket == null) {
                        if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                            throw new AssertionError("no ticket for " + resource + " within 30 s");
                        }
                        Thread.sleep(2);
                    }
                }
                long visibleNanos = System.nanoTime();
                long visibleWallMs = System.currentTimeMillis();
                endToEnd.recordValue((visibleNanos - t0) / 1000);
                JsonNode raised = TestSupport.get(base + "/api/tickets/" + ticket.path("id").asLong(), auth).json().path("timeline").get(0);
                long agentRaisedMs = Instant.parse(raised.path("detail").path("at").asText()).toEpochMilli();
                detectedToVisible.recordValue(Math.max(0, visibleWallMs - agentRaisedMs) * 1000);
                values.put(resource, 0.0);
            }
            Timer inside = console.metrics().registry().get("firstline.fault.intake").timer();
            PrintStream out = System.out;
            out.println();
            out.println("Fault to ticket, " + FAULTS + " faults, " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                    + System.getProperty("java.version"));
            out.printf("%-40s %8s %8s %8s%n", "", "p50 ms", "p99 ms", "max ms");
            print(out, "value bad on agent -> visible in API", endToEnd);
            print(out, "agent raised -> visible in API", detectedToVisible);
            double p50 = 0;
            double p99 = 0;
            for (ValueAtPercentile v : inside.takeSnapshot().percentileValues()) {
                if (v.percentile() == 0.5) {
                    p50 = v.value(TimeUnit.MILLISECONDS);
                } else if (v.percentile() == 0.99) {
                    p99 = v.value(TimeUnit.MILLISECONDS);
                }
            }
            out.printf("%-40s %8.1f %8.1f %8.1f   (%d events incl. clears)%n", "inside console: arrival -> committed", p50, p99,
                    inside.max(TimeUnit.MILLISECONDS), inside.count());
            assertTrue(endToEnd.getTotalCount() == FAULTS);
        } finally {
            agent.close();
            console.close();
        }
    }

    private static void print(PrintStream out, String what, Histogram h) {
        out.printf("%-40s %8.1f %8.1f %8.1f%n", what, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0);
    }

}

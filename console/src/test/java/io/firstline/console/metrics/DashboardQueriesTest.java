package io.firstline.console.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard {@code install/grafana/firstline-console.json} and the
 * alert rules, against a real Prometheus (Debian's {@code prometheus}) on
 * 127.0.0.1 scraping a real console with a real agent every second: every
 * panel query runs without error and every metric it names is one the
 * console exports; every alert rule evaluates without error.
 */
class DashboardQueriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GRAFANA = Path.of("..", "install", "grafana", "firstline-console.json").toAbsolutePath().normalize();
    /** Metric names in PromQL: the console's, the JVM's and process ones, and Prometheus' own up. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:firstline|jvm|process|system|netty)_[a-z0-9_]+|up)\\b(?!\\s*\\()");

    @TempDir
    Path dir;

    @Test
    void everyPanelQueryWorksOnARealPrometheus() throws Exception {
        Path prometheus = TestSupport.requireTool("prometheus", "prometheus");
        JsonNode dashboard = JSON.readTree(GRAFANA.toFile());
        List<String> queries = queries(dashboard);
        assertTrue(queries.size() >= 20, "panels with queries: " + queries.size());

        try (Console console = Console.start(ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
             AgentRuntime agent = TestSupport.enrolledAgent(console, new AgentRuntime.Settings(
                     List.of(new ConsoleAddress("127.0.0.1", console.agentPort())), dir.resolve("agent"), Duration.ofSeconds(1),
                     CollectorRegistry.builtIn().select(Set.of(), Set.of())))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> console.fleet().connected() == 1);
            // A ticket acknowledged and resolved, so that the time-to-ack and time-to-resolve series exist.
            String base = "http://127.0.0.1:" + console.httpPort();
            TestSupport.Auth admin = TestSupport.adminToken(console);
            long id = TestSupport.post(base + "/api/tickets", admin, "{\"title\":\"Dashboard check\",\"severity\":\"info\"}")
                    .json().path("id").asLong();
            assertEquals(200, TestSupport.post(base + "/api/tickets/" + id + "/ack", admin, "{}").status());
            assertEquals(200, TestSupport.post(base + "/api/tickets/" + id + "/resolve", admin, "{\"note\":\"done\"}").status());

            int port = TestSupport.freePort();
            Path config = dir.resolve("prometheus.yml");
            Path rules = Path.of("..", "install", "prometheus", "firstline-console.rules.yml").toAbsolutePath().normalize();
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files: ["%s"]
                    scrape_configs:
                      - job_name: firstline-console
                        static_configs: [{targets: ["127.0.0.1:%d"]}]
                    """.formatted(rules, console.httpPort()));
            Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                    "--storage.tsdb.retention.time=1h")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:" + port + "/api/v1/";
                // Enough scrapes for rate() over a minute-long window: at least a few samples of every series.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                    JsonNode r = query(api, "count_over_time(up{job=\"firstline-console\"}[1m])");
                    return r != null && r.path("data").path("result").size() == 1
                            && r.path("data").path("result").get(0).path("value").get(1).asInt() >= 5;
                });
                Set<String> exported = new TreeSet<>();
                TestSupport.get(api + "label/__name__/values").json().path("data").forEach(n -> exported.add(n.asText()));
                List<String> problems = new ArrayList<>();
                for (String q : queries) {
                    String promql = q.replace("$__rate_interval", "1m").replace("$instance", ".*");
                    JsonNode r = query(api, promql);
                    if (r == null || !"success".equals(r.path("status").asText())) {
                        problems.add(q + " -> " + (r == null ? "no answer" : r.toString()));
                        continue;
                    }
                    for (String m : metrics(promql)) {
                        if (!exported.contains(m)) {
                            problems.add(q + " -> unknown metric " + m);
                        }
                    }
                }
                assertEquals(List.of(), problems, "exported: " + exported);

                // The alert rules load and evaluate on the real series without error.
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    JsonNode groups = TestSupport.get(api + "rules").json().path("data").path("groups");
                    return groups.size() == 1 && groups.get(0).path("lastEvaluation").asText().compareTo("2000") > 0;
                });
                JsonNode group = TestSupport.get(api + "rules").json().path("data").path("groups").get(0);
                for (JsonNode rule : group.path("rules")) {
                    assertEquals("ok", rule.path("health").asText(), rule.toString());
                }
                assertTrue(group.path("rules").size() >= 15);
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** Every PromQL expression of every panel, and of the template variables' label_values queries. */
    static List<String> queries(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.path("expr").asText());
            }
            for (JsonNode inner : panel.path("panels")) {
                inner.path("targets").forEach(t -> out.add(t.path("expr").asText()));
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            Matcher m = Pattern.compile("label_values\\((.+),\\s*\\w+\\)").matcher(v.path("definition").asText());
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    static Set<String> metrics(String promql) {
        Set<String> out = new LinkedHashSet<>();
        // label names and values inside {...} are not metrics
        Matcher m = METRIC.matcher(promql.replaceAll("\\{[^}]*\\}", "{}").replaceAll("by \\([^)]*\\)", ""));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static JsonNode query(String api, String promql) {
        TestSupport.Response r = TestSupport.get(api + "query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return r.status() == 200 || r.status() == 400 || r.status() == 422 ? r.json() : null;
    }
}

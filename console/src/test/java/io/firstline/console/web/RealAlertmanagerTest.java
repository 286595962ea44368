package io.firstline.console.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketService;
import io.firstline.console.tickets.TicketState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}) posts to a
 * real console through a webhook receiver with an intake token: an alert
 * sent to Alertmanager becomes exactly one ticket, stays one ticket through
 * Alertmanager's own re-sends, and resolves when Alertmanager resolves it.
 * Skipped with a message where Alertmanager is not installed (a failure
 * under FIRSTLINE_REQUIRE_TOOLS=1).
 */
class RealAlertmanagerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void anAlertBecomesOneTicketAndResolves() throws Exception {
        Path alertmanager = TestSupport.requireTool("prometheus-alertmanager", "prometheus-alertmanager");
        try (Console console = Console.start(ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)))) {
            String base = "http://127.0.0.1:" + console.httpPort();
            String token = TestSupport.post(base + "/api/intake-tokens", TestSupport.adminToken(console), "{\"name\":\"real\"}")
                    .json().path("token").asText();
            Path config = dir.resolve("alertmanager.yml");
            Files.writeString(config, String.join("\n",
                    "route:",
                    "  receiver: firstline",
                    "  group_by: [alertname, instance]",
                    "  group_wait: 1s",
                    "  group_interval: 1s",
                    "  repeat_interval: 2s",
                    "receivers:",
                    "  - name: firstline",
                    "    webhook_configs:",
                    "      - url: " + base + IntakeApi.ALERTMANAGER,
                    "        send_resolved: true",
                    "        http_config:",
                    "          authorization:",
                    "            credentials: " + token,
                    ""));
            int port = TestSupport.freePort();
            Process am = new ProcessBuilder(alertmanager.toString(), "--config.file=" + config,
                    "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address=", "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
            try {
                String am2 = "http://127.0.0.1:" + port;
                await().atMost(Duration.ofSeconds(30)).until(() -> status(am2 + "/-/ready") == 200);
                String alert = "{\"labels\":{\"alertname\":\"HighLoad\",\"instance\":\"app-3:9100\",\"severity\":\"warning\"},"
                        + "\"annotations\":{\"summary\":\"Load above 8 for 10 minutes\"}";
                postAlerts(am2, "[" + alert + "}]");
                await().atMost(Duration.ofSeconds(30)).until(() -> tickets(console).size() == 1);
                // Alertmanager re-sends (repeat_interval 2s, and the alert posted again): still one ticket.
                postAlerts(am2, "[" + alert + "}]");
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> tickets(console).size() == 1);
                List<Ticket> one = tickets(console);
                assertEquals(1, one.size(), "one ticket per fingerprint through Alertmanager's re-sends");
                assertEquals("HighLoad: Load above 8 for 10 minutes", one.get(0).title());
                assertEquals(TicketState.OPEN, one.get(0).state());

                postAlerts(am2, "[" + alert + ",\"endsAt\":\"" + Instant.now().minusSeconds(1) + "\"}]");
                await().atMost(Duration.ofSeconds(30)).until(() -> tickets(console).get(0).state() == TicketState.RESOLVED);
                assertEquals(1, tickets(console).size());
            } finally {
                am.destroy();
                if (!am.waitFor(10, TimeUnit.SECONDS)) {
                    am.destroyForcibly();
                }
            }
        }
    }

    private static List<Ticket> tickets(Console console) {
        return console.tickets().list(new TicketService.Query("all", "", "", "alertmanager:HighLoad", "", "", 100));
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void postAlerts(String base, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }
}

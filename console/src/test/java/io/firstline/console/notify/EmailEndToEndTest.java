package io.firstline.console.notify;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.config.WatchedFile;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real console sends e-mail for tickets made through its HTTP API to a
 * real SMTP server (GreenMail, implicit TLS with a login), and follows
 * {@code notifications.yaml} as it is edited: a new route applies without a
 * restart, a broken file is rejected with its line and option while the last
 * good routes keep working.
 */
class EmailEndToEndTest {
    @TempDir
    Path dir;

    private String file(int port, String email) {
        return "smtp:\n  host: 127.0.0.1\n  port: " + port + "\n  security: tls\n  username: " + TestSmtp.USER + "\n"
                + "  password_file: smtp-password\n  from: " + TestSmtp.FROM + "\n  ca_file: " + TestSmtp.caPem() + "\n"
                + "email:\n" + email;
    }

    private static final String ONCALL = "  - name: oncall\n    to: [oncall@example.org]\n    severities: [critical]\n";

    @Test
    void ticketsBecomeMailAndTheRoutesFollowTheFile() throws Exception {
        int port = TestSupport.freePort();
        GreenMail smtp = TestSmtp.greenMail("smtps", port);
        Path data = dir.resolve("console");
        Files.createDirectories(data);
        Files.writeString(data.resolve("smtp-password"), TestSmtp.PASSWORD);
        Path yaml = data.resolve(NotifyConfig.FILE_NAME);
        Files.writeString(yaml, file(port, ONCALL));
        try (Console console = Console.start(ConsoleConfig.defaults(data)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)))) {
            String base = "http://127.0.0.1:" + console.httpPort();
            TestSupport.Auth admin = TestSupport.adminToken(console);

            long critical = open(base, admin, "Core switch down", "critical");
            open(base, admin, "Printer low on toner", "warning");
            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length == 1);
            MimeMessage first = smtp.getReceivedMessages()[0];
            assertEquals("[Firstline] CRITICAL opened: Core switch down (#" + critical + ")", first.getSubject());
            assertEquals("oncall@example.org", first.getAllRecipients()[0].toString());

            // A new route, written while the console runs, is followed for the next ticket.
            WatchedFile.Status before = status(console);
            Files.writeString(yaml, file(port, ONCALL + "  - name: desk\n    to: desk@example.org\n    severities: [warning]\n"));
            await().atMost(Duration.ofSeconds(20)).until(() -> status(console).appliedAt().isAfter(before.appliedAt()));
            open(base, admin, "Laptop battery worn", "warning");
            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length == 2);
            assertEquals(1, smtp.getReceivedMessagesForDomain("desk@example.org").length);

            // A broken file: rejected with its line and option, reported, and the last good routes stay.
            Files.writeString(yaml, file(port, ONCALL + "  - name: desk\n    to: desk@example.org\n    severities: [warnign]\n"));
            await().atMost(Duration.ofSeconds(20)).until(() -> !status(console).valid());
            JsonNode files = TestSupport.get(base + "/api/config-files", admin).json();
            JsonNode n = Arrays.stream(new JsonNode[] {files.get(0), files.get(1)})
                    .filter(f -> f.path("name").asText().equals("notifications.yaml")).findFirst().orElseThrow();
            assertEquals(false, n.path("valid").asBoolean());
            assertEquals(15, n.path("error").path("line").asInt(), n.toString());
            assertEquals("email[1].severities[0]", n.path("error").path("option").asText());
            assertEquals(yaml + ": line 15: option 'email[1].severities[0]': unknown severity 'warnign' (known: info, warning,"
                    + " critical)", n.path("error").path("message").asText());
            String metrics = TestSupport.get(base + "/metrics").body();
            assertTrue(metrics.contains("firstline_config_valid{file=\"notifications.yaml\"} 0.0"), metrics);
            assertTrue(metrics.contains("firstline_config_reload_failures_total{file=\"notifications.yaml\"} 1.0"), metrics);

            open(base, admin, "Printer jammed", "warning");
            open(base, admin, "UPS on battery", "critical");
            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length == 4);
            List<String> subjects = Arrays.stream(smtp.getReceivedMessages()).map(m -> {
                try {
                    return m.getSubject();
                } catch (jakarta.mail.MessagingException e) {
                    throw new AssertionError(e);
                }
            }).toList();
            // GreenMail lists by mailbox, not by arrival
            assertTrue(subjects.stream().anyMatch(x -> x.contains("WARNING opened: Printer jammed")), subjects.toString());
            assertTrue(subjects.stream().anyMatch(x -> x.contains("CRITICAL opened: UPS on battery")), subjects.toString());
        } finally {
            smtp.stop();
        }
    }

    private static WatchedFile.Status status(Console console) {
        return console.configFiles().stream().filter(s -> s.name().equals(NotifyConfig.FILE_NAME)).findFirst().orElseThrow();
    }

    private static long open(String base, TestSupport.Auth admin, String title, String severity) {
        TestSupport.Response r = TestSupport.post(base + "/api/tickets", admin,
                "{\"title\":\"" + title + "\",\"description\":\"From the e-mail test.\",\"severity\":\"" + severity + "\"}");
        assertEquals(201, r.status(), r.body());
        return r.json().path("id").asLong();
    }
}

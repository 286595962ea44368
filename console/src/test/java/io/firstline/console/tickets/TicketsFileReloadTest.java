package io.firstline.console.tickets;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.Console;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.config.WatchedFile;
import io.firstline.rules.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickets.yaml} edited while a real console runs: a valid change
 * applies to tickets from then on (here an SLA the sweeper then enforces), a
 * broken one is rejected with its line and option and the last good policy
 * stays, and removing the file brings back the defaults.
 */
class TicketsFileReloadTest {
    @TempDir
    Path dir;

    @Test
    void aChangedPolicyAppliesWithoutARestart() throws Exception {
        Path data = dir.resolve("console");
        Files.createDirectories(data);
        Path yaml = data.resolve(TicketPolicyLoader.FILE_NAME);
        Files.writeString(yaml, "reopen_window: 1h\n");
        try (Console console = Console.start(ConsoleConfig.defaults(data)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)))) {
            assertEquals(Duration.ofHours(1), console.tickets().policy().reopenWindow());
            assertEquals(Duration.ofHours(1), console.tickets().policy().sla().get(Severity.WARNING).ackWithin());

            // Warning tickets must now be acknowledged within a second: the sweeper records the breach.
            Files.writeString(yaml, "reopen_window: 2h\nsla:\n  warning:\n    ack: 1s\n    resolve: 1h\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> console.tickets().policy().reopenWindow().equals(Duration.ofHours(2)));
            long id = new ExternalTickets(console.tickets()).openByHand("Slow VPN", "", Severity.WARNING, "", "alice").id();
            await().atMost(Duration.ofSeconds(30)).until(() -> console.tickets().timeline(id).stream()
                    .anyMatch(e -> e.kind().equals("sla_breached")));

            Files.writeString(yaml, "reopen_window: 3h\nsla:\n  warning:\n    ack: 1s\n    resolve: soon\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> !status(console).valid());
            WatchedFile.Status s = status(console);
            assertEquals(5, s.problem().line());
            assertEquals("sla.warning.resolve", s.problem().option());
            assertTrue(s.error().startsWith(yaml + ": line 5: option 'sla.warning.resolve': 'soon' is not a duration"), s.error());
            assertEquals(Duration.ofHours(2), console.tickets().policy().reopenWindow(), "the last good policy stays");

            Files.delete(yaml);
            await().atMost(Duration.ofSeconds(20)).until(() -> status(console).valid());
            assertFalse(status(console).present());
            assertEquals(TicketPolicy.defaults(), console.tickets().policy());
        }
    }

    private static WatchedFile.Status status(Console console) {
        return console.configFiles().stream().filter(f -> f.name().equals(TicketPolicyLoader.FILE_NAME)).findFirst().orElseThrow();
    }
}

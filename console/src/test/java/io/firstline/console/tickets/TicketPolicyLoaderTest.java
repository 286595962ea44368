package io.firstline.console.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.rules.Severity;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicketPolicyLoaderTest {
    @TempDir
    Path dir;

    @Test
    void overridesTheDefaultsItNames() {
        TicketPolicy p = TicketPolicyLoader.parse("tickets.yaml", """
                reopen_window: 12h
                sla:
                  warning:
                    ack: 30m
                    resolve: 8h
                    escalate:
                      - { after: 30m }
                      - { after: 2h, assign: team-lead, notify: false }
                """);
        assertEquals(Duration.ofHours(12), p.reopenWindow());
        assertEquals(Duration.ofHours(24), p.closeAfter());
        TicketPolicy.Sla w = p.sla().get(Severity.WARNING);
        assertEquals(Duration.ofMinutes(30), w.ackWithin());
        assertEquals("team-lead", w.steps().get(1).assignTo());
        assertEquals(false, w.steps().get(1).sendNotification());
        assertEquals(TicketPolicy.defaults().sla().get(Severity.CRITICAL), p.sla().get(Severity.CRITICAL));
        assertEquals(TicketPolicy.defaults(), TicketPolicyLoader.load(dir));
    }

    @Test
    void mistakesNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TicketPolicyLoader.parse("t.yaml",
                "sla:\n  critical:\n    ack: soon\n    resolve: 4h\n"));
        assertTrue(e.getMessage().startsWith("t.yaml: line 3: option 'sla.critical.ack': "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TicketPolicyLoader.parse("t.yaml", "sla:\n  urgent: {}\n"));
        assertEquals("t.yaml: line 2: option 'sla.urgent': unknown severity 'urgent' (known: critical, warning, info)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TicketPolicyLoader.parse("t.yaml", "close_after: 1h\nreopen: 1h\n"));
        assertEquals("t.yaml: line 2: option 'reopen': unknown option (known: close_after, reopen_window, sla)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TicketPolicyLoader.parse("t.yaml",
                "sla:\n  info:\n    ack: 1h\n"));
        assertEquals("t.yaml: line 2: option 'sla.info.resolve': is required (a duration such as 15m)", e.getMessage());
    }
}

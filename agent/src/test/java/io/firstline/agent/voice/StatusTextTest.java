package io.firstline.agent.voice;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.proto.LocalStatus;
import io.firstline.proto.PendingReport;
import io.firstline.proto.PublicReply;
import io.firstline.proto.TicketNote;
import io.firstline.proto.TicketStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StatusTextTest {
    private static final long NOW = Instant.parse("2026-11-29T12:00:00Z").toEpochMilli();
    /** Text a hostile or broken console might send: a retitle, a screen clear, cursor moves, a bidi override, C1. */
    private static final String HOSTILE = "\u001b]0;you are pwned\u0007\u001b[2J\u001b[H\u009b31mred\u001b[0m \u202eoverride \u0085end\r";

    private static LocalStatus status(boolean connected, long receivedAgo) {
        return LocalStatus.newBuilder().setHostname("desk-7").setConsoleConnected(connected).setNowMs(NOW)
                .setReceivedMs(NOW - receivedAgo)
                .setStatus(TicketStatus.newBuilder()
                        .addTickets(TicketNote.newBuilder().setId(3).setSource("fault").setState("acknowledged")
                                .setTitle("Disk almost full on /" + HOSTILE).setUserText("Empty the bin." + HOSTILE)
                                .setOpenedMs(NOW - 3_600_000)
                                .addReplies(PublicReply.newBuilder().setAtMs(NOW - 60_000).setAuthor("alice" + HOSTILE)
                                        .setText("We are cleaning up old logs.\n" + HOSTILE + "\nBack soon.")))
                        .addTickets(TicketNote.newBuilder().setId(4).setSource("user").setState("resolved").setTitle("my screen froze")
                                .setReporter("bob").setOpenedMs(NOW - 7_200_000).setResolvedMs(NOW - 1_800_000)))
                .addPending(PendingReport.newBuilder().setTitle("printer" + HOSTILE).setCreatedMs(NOW - 30_000))
                .build();
    }

    @Test
    void nothingFromTheConsoleCanControlTheTerminal() {
        for (String out : new String[] {new StatusText(ZoneOffset.UTC).render(status(true, 1000), false),
                StatusJson.write(status(true, 1000), false)}) {
            for (char c : out.toCharArray()) {
                boolean control = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e);
                assertFalse(control, "U+" + Integer.toHexString(c) + " reached the output:\n" + out);
            }
            assertTrue(out.contains("We are cleaning up old logs."), out);
        }
    }

    @Test
    void saysInPlainWordsWhatIsWrongWhatToDoAndWhoReplied() {
        String out = new StatusText(ZoneOffset.UTC).render(status(true, 120_000), false);
        assertTrue(out.contains("Support tickets about this machine (desk-7)"), out);
        assertTrue(out.contains("Up to date: connected to support; last update 2 minutes ago"), out);
        assertTrue(out.contains("#3  Disk almost full on /"), out);
        assertTrue(out.contains("Support is working on it."), out);
        assertTrue(out.contains("What you can do: Empty the bin."), out);
        assertTrue(out.contains("Reply from alice"), out);
        assertTrue(out.contains("#4  Reported: \"my screen froze\""), out);
        assertTrue(out.contains("Resolved 30 minutes ago (2026-11-29 11:30)"), out);
        assertTrue(out.contains("Reported by bob"), out);
        assertTrue(out.contains("Reports on their way to support"), out);
    }

    @Test
    void offlineItSaysHowOldTheStatusIs() {
        String out = new StatusText(ZoneOffset.UTC).render(status(false, 3 * 3_600_000), false);
        assertTrue(out.contains("cannot reach support right now. This is what support last told it, 3 hours ago"), out);
        assertTrue(out.contains("Reports waiting to be sent"), out);
        String cached = new StatusText(ZoneOffset.UTC).render(status(false, 3 * 86_400_000L), true);
        assertTrue(cached.contains("The agent is not running. This is what support last told it, 3 days ago"), cached);
        String json = StatusJson.write(status(false, 3 * 3_600_000), false);
        assertTrue(json.contains("\"ageSeconds\" : 10800"), json);
        assertTrue(json.contains("\"consoleConnected\" : false"), json);
    }
}

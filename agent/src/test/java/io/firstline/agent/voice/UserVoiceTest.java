package io.firstline.agent.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.firstline.agent.encode.SnapshotTables;
import io.firstline.proto.Envelope;
import io.firstline.proto.FaultRaised;
import io.firstline.proto.FaultRef;
import io.firstline.proto.LocalReport;
import io.firstline.proto.LocalRequest;
import io.firstline.proto.LocalResponse;
import io.firstline.proto.LocalStatus;
import io.firstline.proto.LocalStatusQuery;
import io.firstline.proto.TicketNote;
import io.firstline.proto.TicketStatus;
import io.firstline.proto.UserReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserVoiceTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final List<Envelope.Builder> sent = new ArrayList<>();
    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final RecentEvents events = new RecentEvents(clock);

    private UserVoice voice() {
        return new UserVoice(UserVoice.agent("agent-1", "host-1",
                () -> List.of(SnapshotTables.table("machine", List.of("hostname"), List.of(List.of("host-1")))), sent::add,
                connected::get), events, StatusCache.open(dir), clock);
    }

    private static LocalRequest report(byte[] text) {
        return LocalRequest.newBuilder().setReport(LocalReport.newBuilder().setText(ByteString.copyFrom(text))).build();
    }

    private static LocalRequest report(String text) {
        return report(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final LocalRequest STATUS = LocalRequest.newBuilder().setStatus(LocalStatusQuery.getDefaultInstance()).build();

    private UserReport lastReport() {
        return sent.get(sent.size() - 1).getUserReport();
    }

    @Test
    void aReportCarriesThePeersNameTheSnapshotAndTheLastHoursFaultEvents() {
        events.record(Envelope.newBuilder().setFaultRaised(FaultRaised.newBuilder()
                .setFault(FaultRef.newBuilder().setRuleId("disk_full").setResource("/")).setMetric("fs.used_ratio")
                .setValue(0.97).setThreshold(0.95).setRaisedMs(clock.millis() - 90 * 60_000))); // too old
        events.record(Envelope.newBuilder().setFaultRaised(FaultRaised.newBuilder()
                .setFault(FaultRef.newBuilder().setRuleId("disk_full").setResource("/home")).setMetric("fs.used_ratio")
                .setValue(0.98).setThreshold(0.95).setRaisedMs(clock.millis() - 5 * 60_000)));
        events.record(Envelope.newBuilder().setSample(io.firstline.proto.Sample.getDefaultInstance())); // not an event
        LocalResponse r = voice().handle(new Peer("alice"), report("my screen froze"));
        assertEquals("", r.getError());
        assertEquals("alice", r.getReport().getUser());
        assertTrue(r.getReport().getConsoleConnected());
        UserReport u = lastReport();
        assertEquals("alice", u.getUser());
        assertEquals("my screen froze", u.getText());
        assertEquals(r.getReport().getReportId(), u.getReportId());
        assertEquals("machine", u.getTables(0).getName());
        assertEquals(1, u.getEventsCount(), "only the last hour: " + u.getEventsList());
        assertTrue(u.getEvents(0).getText().contains("disk_full on /home"), u.getEvents(0).getText());
    }

    @Test
    void badTextIsCleanedCutAndNoted() {
        UserVoice v = voice();
        byte[] bad = {'a', (byte) 0xff, 'b', 0x1b, '[', '2', 'J', 'c', 0x07};
        v.handle(new Peer("bob"), report(bad));
        assertEquals("a\uFFFDbc", lastReport().getText());

        LocalResponse big = v.handle(new Peer("bob"), report("x".repeat(20_000)));
        assertTrue(big.getReport().getCut());
        String kept = lastReport().getText();
        assertTrue(kept.getBytes(StandardCharsets.UTF_8).length <= UserVoice.MAX_TEXT_BYTES, "at most 8 KiB");
        assertTrue(kept.endsWith("[cut by Firstline: the report was 20000 bytes; only the first 8 KiB are kept]"), kept);

        // A client that read only the beginning of a long file says how long it was.
        v.handle(new Peer("bob"), LocalRequest.newBuilder().setReport(LocalReport.newBuilder()
                .setText(ByteString.copyFromUtf8("start of a long log")).setOriginalBytes(1_000_000)).build());
        assertTrue(lastReport().getText().startsWith("start of a long log"));
        assertTrue(lastReport().getText().contains("1000000 bytes"), lastReport().getText());
    }

    @Test
    void anEmptyReportIsRefusedWithAnExample() {
        LocalResponse r = voice().handle(new Peer("bob"), report(" \u001b[0m\n\t "));
        assertTrue(r.getError().contains("empty"), r.getError());
        assertTrue(sent.isEmpty());
    }

    @Test
    void aFloodingUserIsRateLimitedWithAClearMessageAndOthersAreNot() {
        UserVoice v = voice();
        for (int i = 0; i < ReportLimiter.DEFAULT_MAX; i++) {
            assertEquals("", v.handle(new Peer("mallory"), report("report " + i)).getError());
        }
        String refusal = v.handle(new Peer("mallory"), report("one more")).getError();
        assertTrue(refusal.contains("5 reports in the last 10 minutes"), refusal);
        assertTrue(refusal.contains("wait 10 minutes"), refusal);
        assertEquals(ReportLimiter.DEFAULT_MAX, sent.size());
        assertEquals("", v.handle(new Peer("alice"), report("mine")).getError(), "another user is not affected");
        clock.advance(Duration.ofMinutes(10));
        assertEquals("", v.handle(new Peer("mallory"), report("later")).getError(), "the window slides");
    }

    @Test
    void statusShowsFaultTicketsAndOnlyTheUsersOwnReports() {
        UserVoice v = voice();
        connected.set(false);
        LocalResponse mine = v.handle(new Peer("alice"), report("printer jammed"));
        assertFalse(mine.getReport().getConsoleConnected(), "the user learns it waits");
        v.handle(new Peer("bob"), report("bob's secret trouble"));
        LocalStatus s = v.handle(new Peer("alice"), STATUS).getStatus();
        assertEquals(0, s.getReceivedMs(), "no status from the console yet");
        assertEquals(1, s.getPendingCount());
        assertEquals("printer jammed", s.getPending(0).getTitle());

        String bobsId = lastReport().getReportId();
        clock.advance(Duration.ofMinutes(1));
        v.statusFromConsole(TicketStatus.newBuilder().addTickets(TicketNote.newBuilder().setId(1).setSource("fault").setTitle("Disk full"))
                .addTickets(TicketNote.newBuilder().setId(2).setSource("user").setReporter("bob").setReportId(bobsId)
                        .setTitle("bob's secret trouble")).build());
        LocalStatus alice = v.handle(new Peer("alice"), STATUS).getStatus();
        assertEquals(List.of(1L), alice.getStatus().getTicketsList().stream().map(TicketNote::getId).toList());
        assertEquals(1, alice.getPendingCount(), "alice's report is not carried yet");
        LocalStatus root = v.handle(new Peer("root"), STATUS).getStatus();
        assertEquals(2, root.getStatus().getTicketsCount(), "root sees every report");
        assertEquals(clock.millis(), alice.getReceivedMs());
    }

    @Test
    void theStatusSurvivesARestartInAPrivateFile() throws Exception {
        voice().statusFromConsole(TicketStatus.newBuilder().addTickets(TicketNote.newBuilder().setId(7).setSource("fault")).build());
        Path f = dir.resolve(StatusCache.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        LocalStatus again = voice().handle(new Peer("alice"), STATUS).getStatus();
        assertEquals(7, again.getStatus().getTickets(0).getId());
        assertEquals(clock.millis(), again.getReceivedMs());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package io.firstline.agent.voice;

import io.firstline.agent.encode.SnapshotTables;
import io.firstline.proto.Envelope;
import io.firstline.proto.LocalReport;
import io.firstline.proto.LocalReportAccepted;
import io.firstline.proto.LocalRequest;
import io.firstline.proto.LocalResponse;
import io.firstline.proto.LocalStatus;
import io.firstline.proto.PendingReport;
import io.firstline.proto.SnapshotTable;
import io.firstline.proto.TicketNote;
import io.firstline.proto.TicketStatus;
import io.firstline.proto.UserReport;
import io.firstline.text.PlainText;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the user's voice: turns a local user's report into a
 * sequenced {@link UserReport} (with a fresh snapshot, the last hour's fault
 * events and the top processes) and answers {@code status} from the last
 * ticket status the console sent. A user sees the machine's fault tickets and
 * their own reports; root sees every report.
 */
public final class UserVoice implements LocalHandler {
    private static final Logger log = LoggerFactory.getLogger(UserVoice.class);
    /** The most of a report's text that is kept, in UTF-8 bytes. */
    public static final int MAX_TEXT_BYTES = 8 * 1024;
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(10);

    /** What the voice needs from the running agent. */
    public interface Agent {
        String agentId();

        String hostname();

        /** A fresh snapshot of the machine as tables (may take a second or two). */
        java.util.concurrent.CompletableFuture<List<SnapshotTable>> snapshot();

        /** Sends a sequenced message (spooled until the console acknowledges it). */
        void send(Envelope.Builder message);

        boolean connected();
    }

    private final Agent agent;
    private final RecentEvents events;
    private final StatusCache cache;
    private final ReportLimiter limiter;
    private final Clock clock;

    public UserVoice(Agent agent, RecentEvents events, StatusCache cache, Clock clock) {
        this(agent, events, cache, new ReportLimiter(ReportLimiter.DEFAULT_MAX, ReportLimiter.DEFAULT_WINDOW, clock), clock);
    }

    UserVoice(Agent agent, RecentEvents events, StatusCache cache, ReportLimiter limiter, Clock clock) {
        this.agent = agent;
        this.events = events;
        this.cache = cache;
        this.limiter = limiter;
        this.clock = clock;
    }

    /** The console sent this machine's ticket status. */
    public void statusFromConsole(TicketStatus status) {
        cache.status(status, clock.millis());
    }

    @Override
    public LocalResponse handle(Peer peer, LocalRequest request) {
        return switch (request.getKindCase()) {
            case REPORT -> report(peer, request.getReport());
            case STATUS -> LocalResponse.newBuilder().setStatus(status(peer)).build();
            default -> error("The agent does not know this request; is the command newer than the agent?");
        };
    }

    private static LocalResponse error(String sentence) {
        return LocalResponse.newBuilder().setError(sentence).build();
    }

    /** The user's words made safe and cut to size, with a note where they were cut. */
    static PlainText.Cut text(LocalReport r) {
        String text = PlainText.strip(PlainText.decodeUtf8(r.getText().toByteArray())).strip();
        long original = Math.max(r.getOriginalBytes(), r.getText().size());
        String note = "\n[cut by Firstline: the report was " + original + " bytes; only the first 8 KiB are kept]";
        if (original > r.getText().size()) {
            // The client sent only the beginning: keep what fits beside the note.
            int room = MAX_TEXT_BYTES - note.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            return new PlainText.Cut(PlainText.cut(text, room, "").text() + note, true);
        }
        return PlainText.cut(text, MAX_TEXT_BYTES, note);
    }

    private LocalResponse report(Peer peer, LocalReport r) {
        PlainText.Cut text = text(r);
        if (text.text().isBlank()) {
            return error("The report is empty. Say in a few words what is wrong, e.g.: firstline-agent report \"my screen froze\"");
        }
        Optional<Duration> wait = limiter.tryAcquire(peer.user());
        if (wait.isPresent()) {
            log.info("refused a report of {}: rate limit", peer.user());
            return error(limiter.refusal(wait.get()));
        }
        List<SnapshotTable> tables;
        try {
            tables = agent.snapshot().get(SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("report of {} goes without a snapshot: {}", peer.user(), e.toString());
            tables = List.of(SnapshotTables.table("snapshot", List.of("error"), List.of(List.of("no snapshot: " + e))));
        }
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        UserReport report = UserReport.newBuilder().setReportId(id).setUser(peer.user()).setText(text.text()).setCreatedMs(now)
                .addAllTables(tables).addAllEvents(events.lastHour()).build();
        boolean connected = agent.connected();
        agent.send(Envelope.newBuilder().setUserReport(report));
        cache.reported(PendingReport.newBuilder().setReportId(id).setCreatedMs(now).setTitle(title(text.text()))
                .setUser(peer.user()).build());
        log.info("user {} reported a problem ({} bytes, report {}){}", peer.user(), report.getText().length(), id,
                connected ? "" : "; the console is not connected, it waits in the spool");
        return LocalResponse.newBuilder().setReport(LocalReportAccepted.newBuilder().setReportId(id).setUser(peer.user())
                .setConsoleConnected(connected).setCut(text.cut())).build();
    }

    /** The first words of a report, up to 80 characters, on one line: what a ticket's title shows. */
    public static String title(String text) {
        return PlainText.firstWords(text, 80);
    }

    private LocalStatus status(Peer peer) {
        io.firstline.proto.StatusCache c = cache.current();
        TicketStatus.Builder visible = c.getStatus().toBuilder().clearTickets();
        for (TicketNote t : c.getStatus().getTicketsList()) {
            if (!t.getSource().equals("user") || peer.isRoot() || t.getReporter().equals(peer.user())) {
                visible.addTickets(t);
            }
        }
        Set<String> carried = c.getStatus().getTicketsList().stream().map(TicketNote::getReportId).collect(Collectors.toSet());
        LocalStatus.Builder b = LocalStatus.newBuilder().setAgentId(agent.agentId()).setHostname(agent.hostname())
                .setConsoleConnected(agent.connected()).setStatus(visible).setReceivedMs(c.getReceivedMs()).setNowMs(clock.millis());
        for (PendingReport p : c.getReportsList()) {
            if (!carried.contains(p.getReportId()) && (peer.isRoot() || p.getUser().equals(peer.user()))) {
                b.addPending(p);
            }
        }
        return b.build();
    }

    /** An agent made of plain functions, for tests. */
    static Agent agent(String id, String host, Supplier<List<SnapshotTable>> snapshot, Consumer<Envelope.Builder> send,
                       BooleanSupplier connected) {
        return new Agent() {
            @Override
            public String agentId() {
                return id;
            }

            @Override
            public String hostname() {
                return host;
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<SnapshotTable>> snapshot() {
                return java.util.concurrent.CompletableFuture.completedFuture(snapshot.get());
            }

            @Override
            public void send(Envelope.Builder message) {
                send.accept(message);
            }

            @Override
            public boolean connected() {
                return connected.getAsBoolean();
            }
        };
    }
}

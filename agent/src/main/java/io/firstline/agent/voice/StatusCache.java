package io.firstline.agent.voice;

import io.firstline.files.PrivateFiles;
import io.firstline.proto.PendingReport;
import io.firstline.proto.StatusCache.Builder;
import io.firstline.proto.TicketNote;
import io.firstline.proto.TicketStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last ticket status the console sent and the reports made here that it
 * did not carry yet, kept in {@code STATE_DIR/ticket-status.pb} (mode 0600,
 * replaced atomically) so that {@code status} answers while the console is
 * unreachable and after the agent restarts. Thread-safe.
 */
public final class StatusCache {
    private static final Logger log = LoggerFactory.getLogger(StatusCache.class);
    public static final String FILE = "ticket-status.pb";
    /** A report no status has carried for this long is forgotten (the console dropped it or it was closed long ago). */
    static final Duration FORGET_REPORTS_AFTER = Duration.ofDays(30);
    static final int MAX_REPORTS = 50;

    private final Path file;
    private io.firstline.proto.StatusCache cache;

    private StatusCache(Path file, io.firstline.proto.StatusCache cache) {
        this.file = file;
        this.cache = cache;
    }

    /** The cache of {@code stateDir}; empty if there is none yet (or it cannot be read, which is logged). */
    public static StatusCache open(Path stateDir) {
        Path f = stateDir.resolve(FILE);
        return new StatusCache(f, read(f).orElse(io.firstline.proto.StatusCache.getDefaultInstance()));
    }

    /** What {@code stateDir} holds, for {@code status} when no agent answers; empty if missing or unreadable. */
    public static Optional<io.firstline.proto.StatusCache> read(Path fileOrStateDir) {
        Path f = Files.isDirectory(fileOrStateDir) ? fileOrStateDir.resolve(FILE) : fileOrStateDir;
        if (!Files.isReadable(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(io.firstline.proto.StatusCache.parseFrom(Files.readAllBytes(f)));
        } catch (IOException e) {
            log.warn("ignoring unreadable ticket status cache {}: {}", f, e.toString());
            return Optional.empty();
        }
    }

    public synchronized io.firstline.proto.StatusCache current() {
        return cache;
    }

    /** Adopts a status from the console; reports it carries are no longer pending. */
    public synchronized void status(TicketStatus status, long nowMs) {
        Set<String> carried = status.getTicketsList().stream().map(TicketNote::getReportId).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        Builder b = cache.toBuilder().setStatus(status).setReceivedMs(nowMs).clearReports();
        cache.getReportsList().stream()
                .filter(r -> !carried.contains(r.getReportId()))
                .filter(r -> nowMs - r.getCreatedMs() < FORGET_REPORTS_AFTER.toMillis())
                .forEach(b::addReports);
        save(b.build());
    }

    /** Remembers a report made here until a status carries it. */
    public synchronized void reported(PendingReport r) {
        Builder b = cache.toBuilder().addReports(r);
        while (b.getReportsCount() > MAX_REPORTS) {
            b.removeReports(0);
        }
        save(b.build());
    }

    private void save(io.firstline.proto.StatusCache next) {
        cache = next;
        try {
            PrivateFiles.write(file, next.toByteArray());
        } catch (IOException | UncheckedIOException e) {
            // The status still answers from memory; only the copy for restarts is stale.
            log.warn("could not save the ticket status to {}: {}", file, e.toString());
        }
    }
}

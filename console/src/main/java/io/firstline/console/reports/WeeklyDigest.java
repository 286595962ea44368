package io.firstline.console.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weekly digest of the common problems (docs/reports.md): every Monday
 * from 08:00 UTC the top rows of the last 7 days go out once through the
 * durable notification outbox to every notification target that takes
 * digests; a console that was down then sends that week's digest when it
 * is back, and a restart never sends it twice (the week is recorded in the
 * same transaction as the outbox rows). An admin can preview it and send one
 * by hand ({@code GET/POST /api/reports/digest}).
 */
public final class WeeklyDigest implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WeeklyDigest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** When the week's digest is due: Mondays at 08:00 UTC. */
    public static final DayOfWeek DAY = DayOfWeek.MONDAY;
    public static final LocalTime TIME = LocalTime.of(8, 0);

    /** A digest made: its id, the targets it was queued for, and what was queued. */
    public record Sent(long id, List<String> targets, Map<String, Object> payload) {
    }

    private final Store store;
    private final Reports reports;
    private final Supplier<List<String>> targets;
    private ScheduledExecutorService timer;

    /** @param targets the names of the notification targets that take digests, as configured now */
    public WeeklyDigest(Store store, Reports reports, Supplier<List<String>> targets) {
        this.store = store;
        this.reports = reports;
        this.targets = targets;
    }

    /** Checks every {@code minutes} minutes (and once soon after start) whether this week's digest is due. */
    public WeeklyDigest schedule(long minutes) {
        timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("firstline-digest", true));
        timer.scheduleWithFixedDelay(() -> {
            try {
                sendIfDue();
            } catch (RuntimeException e) {
                log.error("weekly digest failed; trying again in {} min", minutes, e);
            }
        }, 1, minutes * 60, TimeUnit.SECONDS);
        return this;
    }

    /** The start of the digest week that {@code now} is in: the last Monday 08:00 UTC at or before it. */
    public static Instant weekStart(Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        ZonedDateTime start = t.with(TemporalAdjusters.previousOrSame(DAY)).with(TIME);
        if (start.isAfter(t)) {
            start = start.minusWeeks(1);
        }
        return start.toInstant();
    }

    /** What the digest would say now, without sending it. */
    public Map<String, Object> preview() {
        return Digest.payload(reports.commonProblems(Digest.DAYS, query()), reports.clock().instant());
    }

    private static CommonProblems.Query query() {
        return CommonProblems.Query.defaults().withLimit(Digest.TOP);
    }

    /**
     * Sends this week's digest unless it went out already; empty when it had.
     * On a console's very first check no digest is sent: the week is only
     * recorded, so a new console's first digest is the next Monday's.
     */
    public Optional<Sent> sendIfDue() {
        return send(weekStart(reports.clock().instant()), "schedule");
    }

    /** Sends a digest now, by hand; it does not count as the week's scheduled one. */
    public Sent sendNow(String actor) {
        return send(null, actor).orElseThrow();
    }

    private Optional<Sent> send(Instant week, String actor) {
        List<String> to = List.copyOf(targets.get());
        // One transaction: the check, the record of the week and the outbox rows; writes are serialised, so two
        // checks (the timer, an admin, another node) cannot both send the week's digest.
        Optional<Sent> sent = store.write(c -> {
            Instant now = reports.clock().instant();
            if (week != null) {
                if (Sql.one(c, "SELECT id FROM report_digests WHERE week_ms = ?", rs -> rs.getLong(1), week.toEpochMilli()).isPresent()) {
                    return Optional.<Sent>empty();
                }
                if (Sql.one(c, "SELECT COUNT(*) FROM report_digests", rs -> rs.getLong(1)).orElse(0L) == 0) {
                    Sql.insert(c, "INSERT INTO report_digests (week_ms, created_at_ms, created_by, from_ms, to_ms, targets, payload)"
                            + " VALUES (?, ?, 'first start: not sent', ?, ?, '', '{}')", week.toEpochMilli(), now.toEpochMilli(),
                            now.toEpochMilli(), now.toEpochMilli());
                    return Optional.<Sent>empty();
                }
            }
            CommonProblems.Report r = reports.commonProblems(c, Digest.DAYS, query());
            Map<String, Object> payload = Digest.payload(r, now);
            String body = json(payload);
            long digest = Sql.insert(c, "INSERT INTO report_digests (week_ms, created_at_ms, created_by, from_ms, to_ms, targets,"
                            + " payload) VALUES (?, ?, ?, ?, ?, ?, ?)", week == null ? null : week.toEpochMilli(), now.toEpochMilli(),
                    actor, r.period().from().toEpochMilli(), r.period().to().toEpochMilli(), String.join(",", to), body);
            enqueue(c, to, body, now);
            log.info("weekly digest {} ({} tickets in {} groups) queued for {}", digest, r.tickets(), r.totalRows(),
                    to.isEmpty() ? "no target (none configured)" : String.join(", ", to));
            return Optional.of(new Sent(digest, to, payload));
        });
        return sent;
    }

    private static String json(Map<String, Object> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One outbox row per target, delivered (and retried) by the notification sender like any ticket notification. */
    private static void enqueue(Connection c, List<String> targets, String payload, Instant now) throws SQLException {
        for (String target : targets) {
            Sql.insert(c, "INSERT INTO notification_outbox (ticket_id, target, event, payload, next_attempt_ms, created_at_ms)"
                    + " VALUES (NULL, ?, 'digest', ?, ?, ?)", target, payload, now.toEpochMilli(), now.toEpochMilli());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}

package io.firstline.console.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the notification outbox on its own thread: each due row is POSTed
 * to its target; a 2xx marks it delivered, anything else schedules a retry
 * with exponential backoff (1 s doubling to 5 min), and after
 * {@value #MAX_ATTEMPTS} attempts the row is marked failed. Rows survive
 * restarts, so nothing queued is lost; a receiver that is down only delays
 * its own notifications.
 */
public final class WebhookSender implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final int MAX_ATTEMPTS = 12;
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    /** How long a claimed row is left to the node that claimed it. */
    static final Duration CLAIM = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Due(long id, String target, String event, String payload, int attempts) {
    }

    private final Store store;
    private final Clock clock;
    private final Map<String, WebhookTarget> targets;
    private final HttpClient http;
    private final Duration timeout;
    private final MeterRegistry registry;
    private final AtomicLong pending = new AtomicLong();

    public WebhookSender(Store store, Clock clock, List<WebhookTarget> targets, Duration timeout, MeterRegistry registry) {
        this.store = store;
        this.clock = clock;
        this.targets = targets.stream().collect(Collectors.toMap(WebhookTarget::name, Function.identity()));
        this.timeout = timeout;
        this.registry = registry;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        Gauge.builder("firstline.notifications.pending", pending, AtomicLong::get)
                .description("Notifications waiting in the outbox").strongReference(true).register(registry);
    }

    @Override
    public void run() {
        try {
            drain();
        } catch (RuntimeException e) {
            log.error("notification delivery pass failed; next pass soon", e);
        }
    }

    /**
     * Delivers every due notification once; returns how many were delivered.
     * Due rows are first claimed in their own transaction (PostgreSQL:
     * {@code FOR UPDATE SKIP LOCKED}, so two console nodes draining at once
     * take different rows and never wait on each other; SQLite has one
     * writer anyway), then posted. A claim lasts {@link #CLAIM}: a node that
     * dies mid-pass leaves its rows to the others after that.
     */
    public int drain() {
        long now = clock.millis();
        List<Due> due = claim(now);
        int delivered = 0;
        for (Due d : due) {
            WebhookTarget target = targets.get(d.target());
            String error = target == null ? "target '" + d.target() + "' is no longer configured" : post(target, d);
            record(d, error);
            if (error == null) {
                delivered++;
            }
        }
        pending.set(store.read(c -> Sql.one(c, "SELECT COUNT(*) FROM notification_outbox WHERE delivered_at_ms IS NULL"
                + " AND failed_at_ms IS NULL", rs -> rs.getLong(1)).orElse(0L)));
        return delivered;
    }

    private List<Due> claim(long now) {
        String skipLocked = store.dialect().equals("postgresql") ? " FOR UPDATE SKIP LOCKED" : "";
        return store.write(c -> {
            List<Due> rows = Sql.list(c, "SELECT id, target, event, payload, attempts FROM notification_outbox"
                    + " WHERE delivered_at_ms IS NULL AND failed_at_ms IS NULL AND next_attempt_ms <= ?"
                    + " AND (claimed_until_ms IS NULL OR claimed_until_ms <= ?) ORDER BY id LIMIT 100" + skipLocked,
                    rs -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)), now, now);
            for (Due d : rows) {
                Sql.update(c, "UPDATE notification_outbox SET claimed_until_ms = ? WHERE id = ?", now + CLAIM.toMillis(), d.id());
            }
            return rows;
        });
    }

    /** Posts one notification; returns null on success or the reason it failed. */
    private String post(WebhookTarget target, Due d) {
        try {
            String body = target.format() == WebhookTarget.Format.PAGERDUTY ? pagerDuty(target, d.event(), d.payload()) : d.payload();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(target.url()).timeout(timeout)
                    .header("Content-Type", "application/json").header("User-Agent", "firstline-console")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode();
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private void record(Due d, String error) {
        long now = clock.millis();
        String outcome;
        if (error == null) {
            store.write(c -> Sql.update(c, "UPDATE notification_outbox SET delivered_at_ms = ?, attempts = ?, claimed_until_ms = NULL"
                    + " WHERE id = ?",
                    now, d.attempts() + 1, d.id()));
            outcome = "delivered";
        } else if (d.attempts() + 1 >= MAX_ATTEMPTS) {
            store.write(c -> Sql.update(c, "UPDATE notification_outbox SET failed_at_ms = ?, attempts = ?, last_error = ?,"
                    + " claimed_until_ms = NULL"
                    + " WHERE id = ?", now, d.attempts() + 1, error, d.id()));
            log.error("giving up on notification {} ({} of a ticket) to {} after {} attempts: {}", d.id(), d.event(),
                    d.target(), d.attempts() + 1, error);
            outcome = "failed";
        } else {
            long next = now + backoff(d.attempts() + 1).toMillis();
            store.write(c -> Sql.update(c, "UPDATE notification_outbox SET next_attempt_ms = ?, attempts = ?, last_error = ?,"
                    + " claimed_until_ms = NULL"
                    + " WHERE id = ?", next, d.attempts() + 1, error, d.id()));
            log.warn("notification {} to {} failed ({}); retry {} in {} ms", d.id(), d.target(), error, d.attempts() + 1,
                    next - now);
            outcome = "retry";
        }
        Counter.builder("firstline.notifications").description("Notification delivery attempts, by result")
                .tag("result", outcome).register(registry).increment();
    }

    /** Delay before attempt {@code attempt + 1}: 1 s, 2 s, 4 s, ... capped at 5 min. */
    static Duration backoff(int attempt) {
        long ms = FIRST_RETRY.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(ms, MAX_RETRY.toMillis()));
    }

    /** The PagerDuty Events v2 body for a generic payload; dedup_key is the fault key. */
    static String pagerDuty(WebhookTarget target, String event, String payload) throws IOException {
        JsonNode generic = JSON.readTree(payload);
        JsonNode t = generic.path("ticket");
        ObjectNode body = JSON.createObjectNode();
        body.put("routing_key", target.routingKey());
        String action = switch (event) {
            case "acknowledged" -> "acknowledge";
            case "resolved" -> "resolve";
            default -> "trigger";
        };
        body.put("event_action", action);
        body.put("dedup_key", t.path("faultKey").asText());
        if (action.equals("trigger")) {
            ObjectNode p = body.putObject("payload");
            p.put("summary", t.path("title").asText());
            String host = t.path("hostname").asText();
            p.put("source", host.isEmpty() ? t.path("agentId").asText() : host);
            p.put("severity", t.path("severity").asText());
            p.put("timestamp", generic.path("at").asText());
            p.put("component", t.path("resource").asText());
            p.put("group", t.path("site").asText());
            p.put("class", t.path("ruleId").asText());
            p.set("custom_details", t);
        }
        return JSON.writeValueAsString(body);
    }

}

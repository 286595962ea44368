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
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the notification outbox for one channel (webhooks or e-mail) on
 * its own thread: each due row goes to its target; success marks it
 * delivered, anything else schedules a retry with exponential backoff (1 s
 * doubling to 5 min), and after {@value #MAX_ATTEMPTS} attempts the row is
 * marked failed. Rows survive restarts, so nothing queued is lost; a
 * receiver or mail server that is down only delays its own channel. The
 * targets are read from the current configuration on every pass, so a
 * reloaded {@code notifications.yaml} applies to rows already queued.
 */
public final class NotificationSender implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(NotificationSender.class);
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
    private final Supplier<Notifications> config;
    private final NotifyTarget.Channel channel;
    private final HttpClient http;
    private final Duration timeout;
    private final MeterRegistry registry;
    private final String channelTag;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingMs = new AtomicLong();

    /** Webhooks only, to fixed targets. */
    public NotificationSender(Store store, Clock clock, List<WebhookTarget> targets, Duration timeout, MeterRegistry registry) {
        this(store, clock, fixed(targets), NotifyTarget.Channel.WEBHOOK, timeout, registry);
    }

    private static Supplier<Notifications> fixed(List<WebhookTarget> targets) {
        Notifications n = Notifications.webhooks(targets);
        return () -> n;
    }

    /**
     * @param channel the targets this sender serves; the webhook sender also
     *                fails rows whose target is no longer configured at all
     */
    public NotificationSender(Store store, Clock clock, Supplier<Notifications> config, NotifyTarget.Channel channel,
                              Duration timeout, MeterRegistry registry) {
        this.store = store;
        this.clock = clock;
        this.config = config;
        this.channel = channel;
        this.timeout = timeout;
        this.registry = registry;
        this.channelTag = channel.name().toLowerCase(Locale.ROOT);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        // Present from the start at 0, so that rate() and increase() in alert rules see the first failure.
        for (String result : List.of("delivered", "retry", "failed")) {
            attempts(result);
        }
        Gauge.builder("firstline.notifications.pending", pending, AtomicLong::get).tag("channel", channelTag)
                .description("Notifications waiting in the outbox, by channel").strongReference(true).register(registry);
        Gauge.builder("firstline.notifications.oldest.pending.seconds", this, s -> s.oldestPendingSeconds())
                .tag("channel", channelTag).description("Age of the oldest notification still waiting in the outbox, by channel")
                .strongReference(true).register(registry);
    }

    private double oldestPendingSeconds() {
        long oldest = oldestPendingMs.get();
        return oldest == 0 ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    @Override
    public void run() {
        try {
            drain();
        } catch (RuntimeException e) {
            log.error("{} delivery pass failed; next pass soon", channelTag, e);
        }
    }

    /**
     * Delivers every due notification of this channel once; returns how many
     * were delivered. Due rows are first claimed in their own transaction
     * (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}, so two console nodes
     * draining at once take different rows and never wait on each other;
     * SQLite has one writer anyway), then sent. A claim lasts {@link #CLAIM}:
     * a node that dies mid-pass leaves its rows to the others after that.
     */
    public int drain() {
        long now = clock.millis();
        Notifications n = config.get();
        List<String> mine = n.targets().stream().filter(t -> t.channel() == channel).map(NotifyTarget::name).toList();
        List<String> all = n.targets().stream().map(NotifyTarget::name).toList();
        String open = "delivered_at_ms IS NULL AND failed_at_ms IS NULL";
        // Rows of this channel's targets; the webhook sender also takes rows whose target is gone, to fail them.
        StringBuilder where = new StringBuilder("(").append(in(mine));
        List<Object> args = new ArrayList<>(mine);
        if (channel == NotifyTarget.Channel.WEBHOOK) {
            where.append(" OR ").append(all.isEmpty() ? "1 = 1" : "target NOT IN (" + marks(all.size()) + ")");
            args.addAll(all);
        }
        where.append(")");
        List<Due> due = claim(now, where.toString(), args);
        int delivered = 0;
        for (Due d : due) {
            Optional<NotifyTarget> target = n.target(d.target());
            String error = target.isEmpty() ? "target '" + d.target() + "' is no longer configured" : deliver(n, target.get(), d);
            record(d, error);
            if (error == null) {
                delivered++;
            }
        }
        long[] backlog = store.read(c -> Sql.one(c, "SELECT COUNT(*), MIN(created_at_ms) FROM notification_outbox WHERE "
                + open + " AND " + where, rs -> new long[] {rs.getLong(1), rs.getLong(2)}, args.toArray()).orElse(new long[2]));
        pending.set(backlog[0]);
        oldestPendingMs.set(backlog[0] == 0 ? 0 : backlog[1]);
        return delivered;
    }

    private List<Due> claim(long now, String where, List<Object> whereArgs) {
        String skipLocked = store.dialect().equals("postgresql") ? " FOR UPDATE SKIP LOCKED" : "";
        List<Object> args = new ArrayList<>(whereArgs);
        args.add(now);
        args.add(now);
        return store.write(c -> {
            List<Due> rows = Sql.list(c, "SELECT id, target, event, payload, attempts FROM notification_outbox"
                    + " WHERE delivered_at_ms IS NULL AND failed_at_ms IS NULL AND " + where + " AND next_attempt_ms <= ?"
                    + " AND (claimed_until_ms IS NULL OR claimed_until_ms <= ?) ORDER BY id LIMIT 100" + skipLocked,
                    rs -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)), args.toArray());
            for (Due d : rows) {
                Sql.update(c, "UPDATE notification_outbox SET claimed_until_ms = ? WHERE id = ?", now + CLAIM.toMillis(), d.id());
            }
            return rows;
        });
    }

    private static String in(List<String> names) {
        return names.isEmpty() ? "1 = 0" : "target IN (" + marks(names.size()) + ")";
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private String deliver(Notifications n, NotifyTarget target, Due d) {
        if (target instanceof WebhookTarget w) {
            return post(w, d);
        }
        EmailTarget e = (EmailTarget) target;
        return n.smtp().isEmpty() ? "no smtp server is configured"
                : MailSender.send(n.smtp().get(), e, d.event(), d.payload(), n.consoleUrl(), d.id());
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
            log.error("giving up on {} notification {} ({} of a ticket) to {} after {} attempts: {}", channelTag, d.id(), d.event(),
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
        attempts(outcome).increment();
    }

    private Counter attempts(String result) {
        return Counter.builder("firstline.notifications").description("Notification delivery attempts, by channel and result")
                .tag("channel", channelTag).tag("result", result).register(registry);
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

package io.firstline.console.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.firstline.console.MutableClock;
import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import io.firstline.console.tickets.AgentDirectory;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import io.firstline.console.tickets.TicketMetrics;
import io.firstline.console.tickets.TicketPolicy;
import io.firstline.console.tickets.TicketService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import io.firstline.console.store.StoreKind;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;

/** Webhook delivery against a receiver this test runs on 127.0.0.1. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class NotificationSenderTest {
    @Parameter
    StoreKind storeKind;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock();
    private final List<String[]> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private HttpServer receiver;
    private Store store;
    private long sequence;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            arrived.incrementAndGet();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 202;
            if (status == 202) {
                received.add(new String[] {exchange.getRequestURI().getPath(), body});
            }
            exchange.sendResponseHeaders(status, -1);
            try (OutputStream ignored = exchange.getResponseBody()) {
                // empty body
            }
        });
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        receiver.start();
        store = storeKind.open(dir);
    }

    @AfterEach
    void stop() {
        gate.countDown();
        receiver.stop(0);
        store.close();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + path);
    }

    private TicketService tickets(List<WebhookTarget> targets) {
        return new TicketService(store, clock, TicketPolicy.defaults(),
                id -> new AgentDirectory.AgentFacts("pc-1", "hq", "Linux", java.util.Set.of()), id -> Optional.empty(),
                new NotificationOutbox(targets), new TicketMetrics(new SimpleMeterRegistry()));
    }

    private FaultEvent event(String resource, boolean raised) {
        return new FaultEvent(new FaultKey("a1", "disk_almost_full", resource), raised, "fs.used_ratio", 0.95, 0.9,
                clock.instant(), clock.instant(), raised ? "" : "recovered", 7, ++sequence);
    }

    @Test
    void twoNodesDrainingAtOnceSendEachNotificationOnce() throws Exception {
        WebhookTarget generic = new WebhookTarget("ops", url("/generic"), WebhookTarget.Format.GENERIC, "");
        TicketService tickets = tickets(List.of(generic));
        for (int i = 0; i < 10; i++) {
            tickets.apply(event("/d" + i, true));
        }
        try (Store otherNode = storeKind.open(dir)) {
            NotificationSender one = new NotificationSender(store, clock, List.of(generic), Duration.ofSeconds(20), new SimpleMeterRegistry());
            NotificationSender two = new NotificationSender(otherNode, clock, List.of(generic), Duration.ofSeconds(20), new SimpleMeterRegistry());
            gate = new CountDownLatch(1); // the receiver holds the first post until the other node has drained
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(1);
            try {
                java.util.concurrent.Future<Integer> first = pool.submit(one::drain);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> arrived.get() == 1);
                assertEquals(0, two.drain(), "the other node's pass finds every due row claimed");
                gate.countDown();
                assertEquals(10, (int) first.get(30, TimeUnit.SECONDS));
            } finally {
                pool.shutdown();
            }
            assertEquals(10, received.size());
            assertEquals(10, arrived.get(), "each notification posted once");
            assertEquals(0, one.drain() + two.drain());
        }
    }

    @Test
    void deliversGenericAndPagerDutyBodies() throws Exception {
        WebhookTarget generic = new WebhookTarget("ops", url("/generic"), WebhookTarget.Format.GENERIC, "");
        WebhookTarget pd = new WebhookTarget("pager", url("/pd"), WebhookTarget.Format.PAGERDUTY, "R0UTING");
        TicketService tickets = tickets(List.of(generic, pd));
        long id = tickets.apply(event("/", true)).ticket().orElseThrow().id();
        tickets.acknowledge(id, "alice");
        tickets.apply(event("/", false));
        NotificationSender sender = new NotificationSender(store, clock, List.of(generic, pd), Duration.ofSeconds(5), new SimpleMeterRegistry());
        assertEquals(6, sender.drain());
        assertEquals(0, sender.drain(), "delivered once");

        List<JsonNode> g = received.stream().filter(r -> r[0].equals("/generic")).map(r -> read(r[1])).toList();
        assertEquals(List.of("opened", "acknowledged", "resolved"), g.stream().map(n -> n.path("event").asText()).toList());
        assertEquals("a1/disk_almost_full//", g.get(0).path("ticket").path("faultKey").asText());

        List<JsonNode> p = received.stream().filter(r -> r[0].equals("/pd")).map(r -> read(r[1])).toList();
        assertEquals(List.of("trigger", "acknowledge", "resolve"), p.stream().map(n -> n.path("event_action").asText()).toList());
        for (JsonNode n : p) {
            assertEquals("R0UTING", n.path("routing_key").asText());
            assertEquals("a1/disk_almost_full//", n.path("dedup_key").asText());
        }
        JsonNode trigger = p.get(0).path("payload");
        assertEquals("pc-1", trigger.path("source").asText());
        assertEquals("warning", trigger.path("severity").asText());
        assertTrue(trigger.path("summary").asText().contains("disk_almost_full"), trigger.toString());
    }

    @Test
    void retriesWithBackoffUntilTheReceiverAnswers() {
        WebhookTarget generic = new WebhookTarget("ops", url("/generic"), WebhookTarget.Format.GENERIC, "");
        tickets(List.of(generic)).apply(event("/", true));
        NotificationSender sender = new NotificationSender(store, clock, List.of(generic), Duration.ofSeconds(5), new SimpleMeterRegistry());
        failuresLeft.set(2);
        assertEquals(0, sender.drain());
        assertEquals(0, sender.drain(), "not due before the backoff");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, sender.drain());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, sender.drain(), "second retry waits 2 s");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, sender.drain());
        assertEquals(3, (int) store.read(c -> Sql.one(c, "SELECT attempts FROM notification_outbox", rs -> rs.getInt(1)).orElseThrow()));
        assertEquals(Duration.ofMinutes(5), NotificationSender.backoff(30));
    }

    @Test
    void aReceiverThatHangsNeverHoldsUpTicketing() throws Exception {
        WebhookTarget generic = new WebhookTarget("ops", url("/generic"), WebhookTarget.Format.GENERIC, "");
        TicketService tickets = tickets(List.of(generic));
        tickets.apply(event("/first", true));
        gate = new CountDownLatch(1);
        NotificationSender sender = new NotificationSender(store, clock, List.of(generic), Duration.ofSeconds(30), new SimpleMeterRegistry());
        Thread delivery = new Thread(sender::drain, "delivery");
        delivery.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> arrived.get() == 1);
        // While the receiver holds the first delivery, tickets keep opening and committing.
        for (int i = 0; i < 10; i++) {
            assertEquals(TicketService.Effect.OPENED, tickets.apply(event("/r" + i, true)).effect());
        }
        assertTrue(delivery.isAlive(), "the delivery is still stuck in the receiver");
        assertEquals(0, received.size());
        gate.countDown();
        delivery.join(30_000);
        assertEquals(1, received.size());
        assertEquals(10, sender.drain());
    }

    @Test
    void readsTargetsFromTheDataDirectory() {
        List<WebhookTarget> t = NotifyConfig.parse("n.yaml", """
                webhooks:
                  - name: ops
                    url: http://127.0.0.1:9/hook
                  - name: pager
                    url: http://127.0.0.1:9/pd
                    format: pagerduty
                    routing_key: KEY
                """, dir).webhooks();
        assertEquals(WebhookTarget.Format.GENERIC, t.get(0).format());
        assertEquals("KEY", t.get(1).routingKey());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NotifyConfig.parse("n.yaml", "webhooks:\n  - name: pager\n    url: http://x/\n    format: pagerduty\n", dir));
        assertTrue(e.getMessage().contains("routing_key"), e.getMessage());
        // A bad format names the allowed ones, not the enum's Java class (issue 9 item 10), and the line.
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NotifyConfig.parse("n.yaml", "webhooks:\n  - name: x\n    url: http://x/\n    format: slack\n", dir));
        assertEquals("n.yaml: line 4: option 'webhooks[0].format': format must be one of generic, pagerduty, got 'slack'",
                bad.getMessage());
        assertEquals(Notifications.NONE, NotifyConfig.load(dir));
    }

    private static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

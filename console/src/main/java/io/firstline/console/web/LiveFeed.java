package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.FORBIDDEN;

import io.firstline.console.fleet.AgentSummary;
import io.firstline.console.fleet.FleetState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet page's live connection, as server-sent events on
 * {@code /live/fleet}. A new client first gets a {@code reset} event with
 * every row, then a {@code delta} event with the changed rows every
 * {@value #TICK_MS} ms while anything changed: an agent heard from, an agent
 * gone silent (checked every second), its open tickets (checked every
 * 500 ms). Everything runs on
 * one event loop, so a client never sees a delta older than its reset. A
 * client that cannot keep up is dropped; its browser reconnects and gets a
 * fresh reset.
 *
 * <p>With no client connected the feed rests: a tick does nothing (no scan
 * of the fleet for changes, no sweep, no ticket query), so samples cost the
 * feed nothing while nobody watches. The first client's reset is the
 * baseline the deltas after it count from.
 */
final class LiveFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    static final int TICK_MS = 250;
    private static final int SWEEP_EVERY_TICKS = 4;
    private static final int PING_EVERY_TICKS = 60;
    /** A client further behind than this is dropped (a reset of 10,000 rows is about 2.5 MB). */
    private static final long MAX_BACKLOG_BYTES = 16L << 20;

    private final FleetState fleet;
    private final OpenTickets tickets;
    private final EventExecutor loop;
    private final Set<Channel> clients = new LinkedHashSet<>();
    private final ScheduledFuture<?> ticker;
    private long since;
    private long ticks;
    private Map<String, Boolean> online = new HashMap<>();
    private Map<String, OpenTickets.Count> lastTickets = Map.of();

    LiveFeed(FleetState fleet, OpenTickets tickets, EventExecutor loop) {
        this.fleet = fleet;
        this.tickets = tickets;
        this.loop = loop;
        this.ticker = loop.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Takes over the channel of {@code ex} as a live client, after the Origin check. */
    void open(Exchange ex) {
        if (!Origins.sameOrigin(ex.request)) {
            ex.respond(ApiHandler.json(FORBIDDEN, "{\"error\":\"cross-origin live connection refused\"}"));
            return;
        }
        Channel ch = ex.ctx.channel();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setTransferEncodingChunked(head, true);
        ch.writeAndFlush(head);
        loop.execute(() -> attach(ch));
    }

    /**
     * On the feed's loop: {@code ch} becomes a client and gets its reset. The
     * first client's reset is the baseline: changes, online states and
     * tickets are compared with what it showed from then on.
     */
    void attach(Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        boolean first = clients.isEmpty();
        clients.add(ch);
        ch.closeFuture().addListener(f -> loop.execute(() -> clients.remove(ch)));
        // Taken before the rows are read: a change while they are read is sent again as a delta, never lost.
        long change = fleet.changeNumber();
        Map<String, OpenTickets.Count> t = tickets.byAgent();
        List<AgentSummary> all = fleet.summaries();
        List<Map<String, Object>> rows = new ArrayList<>(all.size());
        for (AgentSummary a : all) {
            rows.add(FleetRows.row(a, t.get(a.id())));
        }
        if (first) {
            since = change;
            Map<String, Boolean> on = new HashMap<>(all.size() * 2);
            all.forEach(a -> on.put(a.id(), a.online()));
            online = on;
            lastTickets = t;
        }
        send(ch, "reset", Json.write(Map.of("rows", rows, "serverTime", System.currentTimeMillis())));
    }

    int clients() {
        return clients.size();
    }

    void tick() {
        try {
            if (clients.isEmpty()) {
                return; // resting: the next first client's reset is the new baseline
            }
            ticks++;
            long now = fleet.changeNumber();
            Set<String> changed = new HashSet<>(fleet.changedSince(since));
            since = now;
            if (ticks % SWEEP_EVERY_TICKS == 0) {
                Map<String, Boolean> current = fleet.onlineNow();
                current.forEach((id, on) -> {
                    if (!on.equals(online.get(id))) {
                        changed.add(id);
                    }
                });
                online = current;
            }
            // Tickets every other tick (500 ms): a store query, not a memory read.
            Map<String, OpenTickets.Count> t = ticks % 2 == 0 ? tickets.byAgent() : lastTickets;
            if (!t.equals(lastTickets)) {
                Set<String> ids = new HashSet<>(t.keySet());
                ids.addAll(lastTickets.keySet());
                for (String id : ids) {
                    if (!Objects.equals(t.get(id), lastTickets.get(id))) {
                        changed.add(id);
                    }
                }
                lastTickets = t;
            }
            if (!changed.isEmpty()) {
                List<Map<String, Object>> rows = new ArrayList<>(changed.size());
                for (String id : changed) {
                    fleet.summary(id).ifPresent(a -> rows.add(FleetRows.row(a, t.get(id))));
                }
                String data = Json.write(Map.of("rows", rows, "serverTime", System.currentTimeMillis()));
                for (Channel ch : List.copyOf(clients)) {
                    send(ch, "delta", data);
                }
            } else if (ticks % PING_EVERY_TICKS == 0) {
                for (Channel ch : List.copyOf(clients)) {
                    write(ch, ": ping\n\n");
                }
            }
        } catch (RuntimeException e) {
            log.error("live feed tick failed", e);
        }
    }

    private void send(Channel ch, String event, String data) {
        write(ch, "event: " + event + "\ndata: " + data + "\n\n");
    }

    private void write(Channel ch, String text) {
        if (!ch.isWritable() && ch.bytesBeforeWritable() > MAX_BACKLOG_BYTES) {
            log.debug("dropping live client {}: it is not keeping up", ch.remoteAddress());
            clients.remove(ch);
            ch.close();
            return;
        }
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        ch.writeAndFlush(new DefaultHttpContent(buf)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void close() {
        ticker.cancel(false);
        loop.execute(() -> {
            for (Channel ch : List.copyOf(clients)) {
                ch.close();
            }
            clients.clear();
        });
    }
}

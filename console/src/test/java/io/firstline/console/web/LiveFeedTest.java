package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.firstline.console.fleet.FleetState;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The live feed rests while no browser watches, and a client's reset is the
 * baseline its deltas count from. The ticks are driven by hand: the feed's
 * loop is an embedded channel's, whose scheduled ticker never runs by itself.
 */
class LiveFeedTest {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private final FleetState fleet = new FleetState(Clock.systemUTC(), Duration.ofSeconds(30));
    private final AtomicInteger ticketQueries = new AtomicInteger();
    private final EmbeddedChannel loopOwner = new EmbeddedChannel();
    private final LiveFeed feed = new LiveFeed(fleet, () -> {
        ticketQueries.incrementAndGet();
        return Map.of();
    }, loopOwner.eventLoop());
    private long sequence;

    @AfterEach
    void close() {
        feed.close();
        loopOwner.finishAndReleaseAll();
    }

    private FleetState.Session agent(String id) {
        return fleet.connect(Hello.newBuilder().setAgentId(id).setBootEpoch(1)
                .setHost(HostFacts.newBuilder().setHostname("host-" + id)).build(), "peer");
    }

    private void sample(FleetState.Session s, double cpu) {
        sequence++;
        s.sample(sequence, Sample.newBuilder().setTimestampMs(1000 * sequence)
                .addNewSeries(SeriesDef.newBuilder().setId(1).setMetric("cpu.usage_ratio")).addSeries(1).addValues(cpu).build());
    }

    /** Every event written to {@code ch} since the last call: "reset a,b" or "delta a". */
    private static List<String> events(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            if (o instanceof HttpContent c) {
                String text = c.content().toString(StandardCharsets.UTF_8);
                c.release();
                if (text.startsWith("event: ")) {
                    List<String> ids = new ArrayList<>();
                    Matcher m = ID.matcher(text);
                    while (m.find()) {
                        ids.add(m.group(1));
                    }
                    ids.sort(null);
                    out.add(text.substring(7, text.indexOf('\n')) + " " + String.join(",", ids));
                }
            }
        }
        return out;
    }

    private void ticks(int n) {
        for (int i = 0; i < n; i++) {
            feed.tick();
        }
    }

    @Test
    void withoutClientsTheFeedDoesNoWorkPerSample() {
        FleetState.Session a = agent("a");
        for (int i = 0; i < 20; i++) {
            sample(a, 0.1 * (i % 10));
            ticks(2);
        }
        assertEquals(0, ticketQueries.get(), "no ticket query while nobody watches");
    }

    @Test
    void theFirstClientsResetIsItsBaseline() {
        FleetState.Session a = agent("a");
        FleetState.Session b = agent("b");
        sample(a, 0.2);
        sample(b, 0.3);
        ticks(8); // resting: nothing is remembered from before the client
        EmbeddedChannel client = new EmbeddedChannel();
        feed.attach(client);
        assertEquals(List.of("reset a,b"), events(client));
        ticks(8);
        assertEquals(List.of(), events(client), "what the reset showed is not sent again as a delta");
        sample(a, 0.4);
        ticks(1);
        assertEquals(List.of("delta a"), events(client));
        ticks(4);
        assertEquals(List.of(), events(client));
        client.close();
    }

    @Test
    void aLaterClientDoesNotMoveTheBaselineOfTheOthers() {
        FleetState.Session a = agent("a");
        FleetState.Session b = agent("b");
        EmbeddedChannel first = new EmbeddedChannel();
        feed.attach(first);
        assertEquals(List.of("reset a,b"), events(first));
        sample(b, 0.5);
        EmbeddedChannel second = new EmbeddedChannel();
        feed.attach(second);
        assertEquals(List.of("reset a,b"), events(second));
        ticks(1);
        assertEquals(List.of("delta b"), events(first), "the first client still gets the change made before the second came");
        assertEquals(List.of("delta b"), events(second));
        assertEquals(2, feed.clients());
        sample(a, 0.6);
        first.close();
        second.close();
        loopOwner.runPendingTasks(); // the close listeners remove the clients on the feed's loop
        assertEquals(0, feed.clients());
        int queries = ticketQueries.get();
        ticks(8);
        assertEquals(queries, ticketQueries.get(), "the feed rests again once the last client left");
        assertNull(first.readOutbound());
    }
}

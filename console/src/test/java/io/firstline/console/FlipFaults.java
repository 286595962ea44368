package io.firstline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.Registration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Faults that come and go fast, for the tests that break the console while
 * they flow (kill -9, a lost database): {@code resources} series of
 * {@code test.flip} that a driver thread flips at random every 15 ms, and
 * the rule ({@link #RULES}, checked on the agent every 50 ms) that makes a
 * high value a fault. How they are accounted for: once the agent has settled
 * on fixed values, every raise it sent is one ticket's opening or one of its
 * recurrences, each fault key has one ticket, and the live tickets are the
 * faults still raised.
 */
public final class FlipFaults implements AutoCloseable {
    /** The rules file (DATA/rules.yaml) of the consoles these faults go to. */
    public static final String RULES = """
            settings:
              check_interval: 50ms
            rules:
              - id: test_flip
                metric: test.flip
                resource: "*"
                condition: "> 0.5"
                for: 0s
                recover: { threshold: 0.5, for: 0s }
                severity: warning
                title: "Flip {resource} high"
                description: "Test fault."
                user_text: "Test fault."
            """;
    /** The tickets these faults make, as the API lists them. */
    public static final String TICKETS = "/api/tickets?state=all&rule=test_flip&limit=5000";

    private final int resources;
    private final AtomicReferenceArray<Double> values;
    private final AtomicBoolean flipping = new AtomicBoolean();
    private Thread driver;

    public FlipFaults(int resources) {
        this.resources = resources;
        this.values = new AtomicReferenceArray<>(resources);
        for (int i = 0; i < resources; i++) {
            values.set(i, 0.0);
        }
    }

    /** The agent's collector of the {@code test.flip} series (resources r0, r1, ...). */
    public Registration registration() {
        return new Registration("flip", true, probe -> out -> {
            for (int i = 0; i < resources; i++) {
                out.value("test.flip", "r" + i, values.get(i));
            }
        });
    }

    /** Starts flipping one random series every 15 ms (seeded: the same run each time). */
    public void start() {
        flipping.set(true);
        driver = new Thread(() -> {
            Random random = new Random(42);
            while (flipping.get()) {
                int i = random.nextInt(resources);
                values.set(i, values.get(i) > 0.5 ? 0.1 : 0.9);
                try {
                    Thread.sleep(15);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "flip-driver");
        driver.start();
    }

    /** Stops flipping and sets the final values: even resources high (raised), odd ones low. */
    public void settle() throws InterruptedException {
        close();
        for (int i = 0; i < resources; i++) {
            values.set(i, i % 2 == 0 ? 0.9 : 0.1);
        }
    }

    /** How many faults stay raised after {@link #settle}. */
    public int raisedAfterSettling() {
        return (resources + 1) / 2;
    }

    /** Whether the agent holds exactly the faults {@link #settle} leaves raised. */
    public boolean agentSettled(AgentRuntime agent) {
        return agent.rules().active().size() == raisedAfterSettling();
    }

    /** Whether {@code tickets} account for every raise the agent sent: openings plus recurrences, and the live ones. */
    public boolean accountedFor(List<JsonNode> tickets, AgentRuntime agent) {
        long recurrencesPlusOne = tickets.stream().mapToLong(t -> t.path("recurrences").asLong() + 1).sum();
        long live = tickets.stream().filter(t -> t.path("state").asText().matches("open|acknowledged")).count();
        return recurrencesPlusOne == agent.rules().raisesSent() && live == raisedAfterSettling();
    }

    /** The accounting, for a failure message: raises sent, openings plus recurrences, live tickets. */
    public String accounting(List<JsonNode> tickets, AgentRuntime agent) {
        long recurrencesPlusOne = tickets.stream().mapToLong(t -> t.path("recurrences").asLong() + 1).sum();
        long live = tickets.stream().filter(t -> t.path("state").asText().matches("open|acknowledged")).count();
        return agent.rules().raisesSent() + " raises sent, " + recurrencesPlusOne + " openings and recurrences in "
                + tickets.size() + " tickets, " + live + " live of " + raisedAfterSettling() + " raised; agent pending "
                + agent.pending() + ", connected " + agent.isConnected();
    }

    /** One ticket per fault key, open exactly for the resources left raised, and its fault active then. */
    public void assertSettledTickets(List<JsonNode> tickets) {
        Map<String, Integer> perKey = new HashMap<>();
        for (JsonNode t : tickets) {
            perKey.merge(t.path("faultKey").asText(), 1, Integer::sum);
            int r = Integer.parseInt(t.path("resource").asText().substring(1));
            boolean open = t.path("state").asText().equals("open");
            assertEquals(r % 2 == 0, open, "ticket of r" + r + " is " + t.path("state").asText());
            assertEquals(open, t.path("faultActive").asBoolean(), t.toString());
        }
        perKey.forEach((k, n) -> assertEquals(1, n, "tickets for " + k));
    }

    /** Stops flipping. */
    @Override
    public void close() throws InterruptedException {
        flipping.set(false);
        if (driver != null) {
            driver.join();
        }
    }
}

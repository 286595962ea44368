package io.firstline.console;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.link.ConsoleAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} (or SIGTERM) of the console jar while faults flow from a
 * real agent, then a restart: every fault the agent raised is in a ticket (each raise
 * either opened its ticket or reopened it and counted the recurrence), no
 * fault key has two tickets, and afterwards the open tickets are exactly the
 * faults that are still raised.
 */
class ConsoleKillIT {
    @TempDir
    Path dir;
    private JarFleet fleet;
    private TestSupport.Auth auth;

    /** Starts (or restarts) the console jar with the flip rule; the first start signs the admin in. */
    private Process console() throws Exception {
        Files.createDirectories(fleet.dataDir());
        Files.writeString(fleet.dataDir().resolve("rules.yaml"), FlipFaults.RULES);
        if (auth == null) {
            // The one-time password replaced, as the console requires before anything else; the session outlives kill -9.
            auth = fleet.startConsole("kill-test-password");
        } else {
            fleet.launchConsole();
        }
        return fleet.console();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (fleet != null) {
            fleet.close();
            System.out.println("---- console log (last 4000 chars) ----\n" + fleet.logTail());
        }
    }

    private List<JsonNode> tickets() {
        TestSupport.Response r = get(fleet.base + FlipFaults.TICKETS, auth);
        List<JsonNode> out = new ArrayList<>();
        if (r.status() == 200) {
            r.json().forEach(out::add);
        }
        return out;
    }

    @Test
    void killMinusNineLosesAndDuplicatesNoTicket() throws Exception {
        restartWhileFaultsFlip(false);
    }

    /**
     * SIGTERM, the way systemd stops the console: it stops accepting, lets
     * the commits in progress finish and be acknowledged, tells the agent to
     * come back later, and exits; nothing acknowledged is lost.
     */
    @Test
    void sigtermDrainsLosesAndDuplicatesNoTicket() throws Exception {
        restartWhileFaultsFlip(true);
    }

    /** Faults keep flipping across the stop and the restart; they settle only once the console is back. */
    private void restartWhileFaultsFlip(boolean term) throws Exception {
        fleet = new JarFleet(dir);
        Process console = console();
        fleet.enrollInProcess(dir.resolve("agent"));
        try (FlipFaults faults = new FlipFaults(24);
             AgentRuntime agent = AgentRuntime.start(new AgentRuntime.Settings(
                     List.of(new ConsoleAddress("127.0.0.1", fleet.agentPort)), dir.resolve("agent"), Duration.ofSeconds(1),
                     List.of(faults.registration())))) {
            faults.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> tickets().size() >= 10);
            if (term) {
                console.destroy(); // SIGTERM
                assertTrue(console.waitFor(30, TimeUnit.SECONDS), "the console stops within systemd's 30 s");
                String log = fleet.logTail();
                assertTrue(log.matches("(?s).*told 1 agent connections to come back from \\d+\\.\\d s to \\d+\\.\\d s from now;"
                        + " every pending commit finished and was acknowledged.*"), log);
            } else {
                console.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
            }
            long raisedBeforeRestart = agent.rules().raisesSent();
            console();
            await().atMost(Duration.ofSeconds(40)).until(() -> agent.rules().raisesSent() > raisedBeforeRestart + 10);
            faults.settle();
            // The agent settles on the final values, then the console must agree with it exactly.
            await().atMost(Duration.ofSeconds(10)).until(() -> faults.agentSettled(agent));
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> faults.accountedFor(tickets(), agent));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // (Failed once in a full verify and passed on its rerun: say what was missing the next time.)
                List<JsonNode> now = tickets();
                StringBuilder stray = new StringBuilder();
                for (JsonNode t : now) {
                    int r = Integer.parseInt(t.path("resource").asText().substring(1));
                    if ((r % 2 == 0) != t.path("state").asText().matches("open|acknowledged")) {
                        stray.append("\n  r").append(r).append(": ").append(get(fleet.base + "/api/tickets/" + t.path("id").asText(), auth).body());
                    }
                }
                throw new AssertionError("not accounted for within 60 s: " + faults.accounting(now, agent) + "; tickets not as the agent"
                        + " left their faults:" + stray + "\nconsole log: " + fleet.logTail(), e);
            }
            List<JsonNode> all = tickets();
            faults.assertSettledTickets(all);
            // The SQLite library is one private copy, however many times the console was killed.
            try (var top = Files.list(fleet.dataDir()); var lib = Files.list(fleet.dataDir().resolve("native"))) {
                assertTrue(top.noneMatch(p -> p.getFileName().toString().startsWith("sqlite-")), "no extracted library left behind");
                assertEquals(1, lib.count(), "one copy of the SQLite library");
            }
            System.out.printf("%s test: %d raises by the agent, %d tickets, all accounted for%n", term ? "SIGTERM" : "kill -9",
                    agent.rules().raisesSent(), all.size());
        }
    }
}

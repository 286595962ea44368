package io.firstline.console;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.agent.AgentIdentity;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.AgentVersion;
import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.encode.HostFactsReader;
import io.firstline.agent.enroll.Enroller;
import io.firstline.agent.collect.Registration;
import io.firstline.agent.link.ConsoleAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the console jar while faults flow from a real agent,
 * then a restart: every fault the agent raised is in a ticket (each raise
 * either opened its ticket or reopened it and counted the recurrence), no
 * fault key has two tickets, and afterwards the open tickets are exactly the
 * faults that are still raised.
 */
class ConsoleKillIT {
    private static final int RESOURCES = 24;

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private final int agentPort = TestSupport.freePort();
    private final int httpPort = TestSupport.freePort();
    private final String base = "http://127.0.0.1:" + httpPort;

    private Process console() throws IOException {
        Path data = dir.resolve("console-data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("rules.yaml"), """
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
                """);
        Path config = dir.resolve("console.yaml");
        Files.writeString(config, """
                dataDir: %s
                agent:
                  bind: 127.0.0.1
                  port: %d
                http:
                  bind: 127.0.0.1
                  port: %d
                sampleInterval: 1s
                """.formatted(data, agentPort, httpPort));
        Path jar = Path.of(System.getProperty("firstline.consoleJar", "missing"));
        assertTrue(Files.isRegularFile(jar), "built jar not found: " + jar);
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(),
                "serve", "--config", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile())).start();
        started.add(p);
        await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/healthz").status() == 200);
        if (auth == null) {
            // Sign in as the admin the first start made and replace the one-time password, as the console
            // requires before anything else; the new session is in the store and outlives kill -9.
            String[] login = Files.readString(data.resolve("initial-admin-password")).trim().split(" ");
            auth = TestSupport.loginChangingOneTimePassword(base, login[0], login[1], "kill-test-password");
        }
        return p;
    }

    private TestSupport.Auth auth;

    /** Enrolls the in-process agent the way an admin does: a token from the console jar's CLI, the CA pinned. */
    private void enroll(Path stateDir) throws Exception {
        Path jar = Path.of(System.getProperty("firstline.consoleJar", "missing"));
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(),
                "token", "create", "--site", "it", "--ttl", "1h", "--max-uses", "1",
                "--data", dir.resolve("console-data").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "token create did not finish");
        assertEquals(0, p.exitValue(), out);
        new Enroller(Duration.ofSeconds(15)).enroll(new ConsoleAddress("127.0.0.1", agentPort),
                TestSupport.printedField(out, "token:"), TestSupport.printedField(out, "CA fingerprint:"),
                AgentIdentity.loadOrCreate(stateDir), HostFactsReader.read(new HostProbe()), AgentVersion.get(), stateDir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        Path log = dir.resolve("console.log");
        if (Files.exists(log)) {
            String text = Files.readString(log);
            System.out.println("---- console log (last 4000 chars) ----\n" + text.substring(Math.max(0, text.length() - 4000)));
        }
    }

    private List<JsonNode> tickets() {
        TestSupport.Response r = get(base + "/api/tickets?state=all&rule=test_flip&limit=5000", auth);
        List<JsonNode> out = new ArrayList<>();
        if (r.status() == 200) {
            r.json().forEach(out::add);
        }
        return out;
    }

    @Test
    void killMinusNineLosesAndDuplicatesNoTicket() throws Exception {
        AtomicReferenceArray<Double> values = new AtomicReferenceArray<>(RESOURCES);
        for (int i = 0; i < RESOURCES; i++) {
            values.set(i, 0.0);
        }
        Registration flip = new Registration("flip", true, probe -> out -> {
            for (int i = 0; i < RESOURCES; i++) {
                out.value("test.flip", "r" + i, values.get(i));
            }
        });
        Process console = console();
        enroll(dir.resolve("agent"));
        AgentRuntime agent = AgentRuntime.start(new AgentRuntime.Settings(List.of(new ConsoleAddress("127.0.0.1", agentPort)),
                dir.resolve("agent"), Duration.ofSeconds(1), List.of(flip)));
        AtomicBoolean flipping = new AtomicBoolean(true);
        Thread driver = new Thread(() -> {
            Random random = new Random(42);
            while (flipping.get()) {
                int i = random.nextInt(RESOURCES);
                values.set(i, values.get(i) > 0.5 ? 0.1 : 0.9);
                try {
                    Thread.sleep(15);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "flip-driver");
        try {
            driver.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> tickets().size() >= 10);
            console.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
            long raisedBeforeRestart = agent.rules().raisesSent();
            console = console();
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.rules().raisesSent() > raisedBeforeRestart + 10);
            flipping.set(false);
            driver.join();
            for (int i = 0; i < RESOURCES; i++) {
                values.set(i, i % 2 == 0 ? 0.9 : 0.1);
            }
            // The agent settles on the final values, then the console must agree with it exactly.
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.rules().active().size() == RESOURCES / 2);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<JsonNode> all = tickets();
                long recurrencesPlusOne = all.stream().mapToLong(t -> t.path("recurrences").asLong() + 1).sum();
                long live = all.stream().filter(t -> t.path("state").asText().matches("open|acknowledged")).count();
                return recurrencesPlusOne == agent.rules().raisesSent() && live == RESOURCES / 2;
            });
            List<JsonNode> all = tickets();
            Map<String, Integer> perKey = new HashMap<>();
            for (JsonNode t : all) {
                perKey.merge(t.path("faultKey").asText(), 1, Integer::sum);
                int r = Integer.parseInt(t.path("resource").asText().substring(1));
                boolean open = t.path("state").asText().equals("open");
                assertEquals(r % 2 == 0, open, "ticket of r" + r + " is " + t.path("state").asText());
                assertEquals(open, t.path("faultActive").asBoolean(), t.toString());
            }
            perKey.forEach((k, n) -> assertEquals(1, n, "tickets for " + k));
            // The SQLite library is one private copy, however many times the console was killed.
            try (var top = Files.list(dir.resolve("console-data")); var lib = Files.list(dir.resolve("console-data/native"))) {
                assertTrue(top.noneMatch(p -> p.getFileName().toString().startsWith("sqlite-")), "no extracted library left behind");
                assertEquals(1, lib.count(), "one copy of the SQLite library");
            }
            System.out.printf("kill -9 test: %d raises by the agent, %d tickets, all accounted for%n",
                    agent.rules().raisesSent(), all.size());
        } finally {
            flipping.set(false);
            agent.close();
        }
    }
}

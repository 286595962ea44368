package io.firstline.console;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
 * The two shipped jars as separate processes, as a user runs them: the agent
 * shows up with real values, shows offline when stopped, and comes back by
 * itself after the console restarts.
 */
class JarsIT {
    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private final int agentPort = TestSupport.freePort();
    private final int httpPort = TestSupport.freePort();
    private final String base = "http://127.0.0.1:" + httpPort;

    private static Path jar(String property) {
        Path p = Path.of(System.getProperty(property, "missing-" + property));
        assertTrue(Files.isRegularFile(p), "built jar not found: " + p + " (run ./mvnw verify)");
        return p;
    }

    private Process launch(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-jar");
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        started.add(p);
        return p;
    }

    private Process console() throws IOException {
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
                """.formatted(dir.resolve("console-data"), agentPort, httpPort));
        return launch("console", jar("firstline.consoleJar").toString(), "serve", "--config", config.toString());
    }

    private Process agent() throws IOException {
        return launch("agent", jar("firstline.agentJar").toString(), "run", "--console", "127.0.0.1:" + agentPort,
                "--state-dir", dir.resolve("agent-state").toString());
    }

    private TestSupport.Auth auth;

    /**
     * Signs in as the admin that the first start created, with the one-time
     * password from its 0600 file, which the console has us replace first.
     */
    private TestSupport.Auth signIn() throws IOException {
        Path file = dir.resolve("console-data/initial-admin-password");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String[] login = Files.readString(file).trim().split(" ");
        return TestSupport.loginChangingOneTimePassword(base, login[0], login[1], "jars-test-password");
    }

    /** Runs a jar to completion and returns its output; fails the test on a non-zero exit. */
    private String runToEnd(String name, String... args) throws Exception {
        Process p = launch(name, args);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), name + " did not finish");
        String out = Files.readString(dir.resolve(name + ".log"));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Enrolls the agent's state directory the way an admin does it: token from the console CLI, token file, pinned CA. */
    private void enrollAgent() throws Exception {
        String created = runToEnd("token", jar("firstline.consoleJar").toString(), "token", "create", "--site", "it", "--ttl", "1h",
                "--max-uses", "1", "--data", dir.resolve("console-data").toString());
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TestSupport.printedField(created, "token:") + "\n");
        runToEnd("enroll", jar("firstline.agentJar").toString(), "enroll", "--console", "127.0.0.1:" + agentPort,
                "--token-file", tokenFile.toString(), "--ca-fingerprint", TestSupport.printedField(created, "CA fingerprint:"),
                "--state-dir", dir.resolve("agent-state").toString());
    }

    private JsonNode onlyAgent() {
        TestSupport.Response r = get(base + "/api/agents", auth);
        if (r.status() != 200 || r.json().size() != 1) {
            return null;
        }
        return r.json().get(0);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void cleanUp() throws InterruptedException, IOException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (String name : List.of("console", "token", "enroll", "agent")) {
            Path log = dir.resolve(name + ".log");
            if (Files.exists(log)) {
                System.out.println("---- " + name + " log ----\n" + Files.readString(log));
            }
        }
    }

    @Test
    void agentAndConsoleJarsWorkTogether() throws Exception {
        Process console = console();
        await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/healthz").status() == 200);
        assertEquals(401, get(base + "/api/agents").status());
        auth = signIn();
        enrollAgent();
        Process agent = agent();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode a = onlyAgent();
            return a != null && "online".equals(a.path("status").asText()) && a.path("cpuUsage").isNumber();
        });
        String id = onlyAgent().path("id").asText();
        JsonNode detail = get(base + "/api/agents/" + id, auth).json();
        assertTrue(detail.path("values").size() > 5, detail.toString());
        assertEquals(Files.readString(dir.resolve("agent-state/agent-id")).trim(), id);

        stop(agent);
        await().atMost(Duration.ofSeconds(30)).until(() -> "offline".equals(onlyAgent().path("status").asText()));

        agent = agent();
        await().atMost(Duration.ofSeconds(60)).until(() -> "online".equals(onlyAgent().path("status").asText()));
        stop(console);
        console = console();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            JsonNode a = onlyAgent();
            return a != null && "online".equals(a.path("status").asText()) && id.equals(a.path("id").asText());
        });
        assertTrue(agent.isAlive() && console.isAlive());
        for (Path p : List.of(dir.resolve("console-data"), dir.resolve("agent-state"))) {
            assertEquals(List.of(), io.firstline.files.PrivateFiles.loosened(p), p.toString());
        }
    }

    @Test
    void theDemoPrintsItsLoginAndWritesItAndAnApiTokenForScripts() throws Exception {
        Path data = dir.resolve("demo-data");
        Process demo = launch("console", jar("firstline.consoleJar").toString(), "demo", "--data", data.toString(),
                "--http-port", Integer.toString(httpPort), "--agent-port", Integer.toString(agentPort));
        Path login = data.resolve("admin-login");
        Path token = data.resolve("api-token");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(token) && Files.size(token) > 0);
        for (Path p : List.of(login, token)) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        String[] userPassword = Files.readString(login).trim().split(" ");
        assertEquals(2, userPassword.length);
        assertEquals("admin", userPassword[0]);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(dir.resolve("console.log"))
                .contains("Login:     admin / " + userPassword[1]));
        // The login signs in; the token reads the API, where the demo's own agent is online.
        TestSupport.login(base, userPassword[0], userPassword[1]);
        auth = TestSupport.bearer(Files.readString(token).trim());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode a = onlyAgent();
            return a != null && "online".equals(a.path("status").asText());
        });
        // Every file and directory the demo made, its agent's state and spool included, is for its owner only.
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(data.resolve("agent/spool")));
        List<String> made;
        try (var all = Files.walk(data)) {
            made = all.map(p -> data.relativize(p).toString()).toList();
        }
        for (String f : List.of("firstline.db", "firstline.db-wal", "pki/ca.key", "agent/agent.key", "agent/agent-id", "agent/spool")) {
            assertTrue(made.contains(f), f + " in " + made);
        }
        assertEquals(List.of(), io.firstline.files.PrivateFiles.loosened(data), "readable by others, of " + made);
        assertTrue(made.stream().noneMatch(f -> f.startsWith("sqlite-")), "no SQLite library extracted into the data directory: " + made);

        // Done when (issue 14): the user reports from the demo's machine, an engineer answers, the user reads it.
        Path stateDir = data.resolve("agent");
        assertTrue(Files.readString(dir.resolve("console.log")).contains(" report --state-dir " + stateDir + " \"my screen froze\""),
                "the demo prints the command to try");
        String reported = runToEnd("report", jar("firstline.agentJar").toString(), "report", "--state-dir", stateDir.toString(),
                "my screen froze during the demo");
        assertTrue(reported.contains("It is on its way to support"), reported);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(base + "/api/tickets?source=user", auth).json().size() == 1);
        long id = get(base + "/api/tickets?source=user", auth).json().get(0).path("id").asLong();
        assertEquals(200, TestSupport.post(base + "/api/tickets/" + id + "/reply", auth,
                "{\"text\": \"Please restart the display manager.\", \"public\": true}").status());
        int[] attempt = {0};
        await().atMost(Duration.ofSeconds(30)).until(() -> runToEnd("status" + (++attempt[0]), jar("firstline.agentJar").toString(),
                "status", "--state-dir", stateDir.toString()).contains("Please restart the display manager."));
        stop(demo);
    }

    private long spoolBytes() throws IOException {
        Path spool = dir.resolve("agent-state/spool");
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (var files = Files.list(spool)) {
            return files.filter(f -> f.toString().endsWith(".seg")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private double metric(String name) {
        return get(base + "/metrics").body().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim())).findFirst().orElse(-1);
    }

    /**
     * kill -9 of the agent while it writes its spool, then restart: every
     * complete record is recovered (contiguous sequences, torn tail cut) and
     * reaches the console once.
     */
    @Test
    void agentKilledWhileSpoolingRecoversEveryCompleteRecord() throws Exception {
        Process console = console();
        await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/healthz").status() == 200);
        enrollAgent();
        stop(console);
        // No console: everything the agent collects stays in its spool.
        Process agent = launch("agent", jar("firstline.agentJar").toString(), "run", "--console", "127.0.0.1:" + agentPort,
                "--state-dir", dir.resolve("agent-state").toString(), "--interval", "100ms");
        await().atMost(Duration.ofSeconds(60)).until(() -> spoolBytes() > 20_000);
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, mid-stream

        long epoch;
        long recovered;
        try (io.firstline.agent.spool.DiskSpool spool = io.firstline.agent.spool.DiskSpool.open(dir.resolve("agent-state/spool"),
                io.firstline.agent.spool.DiskSpool.Settings.defaults(), java.time.Clock.systemUTC(), 1)) {
            List<io.firstline.agent.link.Outbox.Stored> all = spool.pending(io.firstline.agent.link.Outbox.Position.START,
                    new io.firstline.agent.link.Outbox.Position(Long.MAX_VALUE, 0), Integer.MAX_VALUE);
            assertTrue(all.size() > 20, "records spooled: " + all.size());
            epoch = all.get(0).bootEpoch();
            for (int i = 0; i < all.size(); i++) {
                assertEquals(epoch, all.get(i).bootEpoch());
                assertEquals(i + 1, all.get(i).envelope().getSequence(), "contiguous from 1: nothing complete was lost");
            }
            recovered = all.size();
        }

        console = console();
        await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/healthz").status() == 200);
        agent = agent();
        await().atMost(Duration.ofSeconds(90)).until(() -> metric("firstline_ingest_samples_total") >= recovered);
        assertEquals(0.0, metric("firstline_ingest_duplicates_total"));
        String log = Files.readString(dir.resolve("agent.log"));
        assertTrue(log.contains(recovered + " unacknowledged messages recovered"), log);
        assertTrue(agent.isAlive() && console.isAlive());
        for (Path p : List.of(dir.resolve("console-data"), dir.resolve("agent-state"))) {
            assertEquals(List.of(), io.firstline.files.PrivateFiles.loosened(p), p.toString());
        }
    }
}

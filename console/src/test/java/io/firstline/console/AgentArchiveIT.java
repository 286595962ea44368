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
 * The agent archive against the real console jar, as an admin installs it:
 * unpacked, enrolled with {@code bin/firstline-agent enroll} (token file and
 * state directory given relative to the admin's directory), then
 * {@code bin/firstline-agent run} streams over mutual TLS.
 */
class AgentArchiveIT {
    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private final int agentPort = TestSupport.freePort();
    private final int httpPort = TestSupport.freePort();
    private final String base = "http://127.0.0.1:" + httpPort;

    private static Path built(String property) {
        Path p = Path.of(System.getProperty(property, "missing-" + property));
        assertTrue(Files.isRegularFile(p), "not built: " + p + " (run ./mvnw verify)");
        return p;
    }

    private Process start(String name, List<String> cmd) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        started.add(p);
        return p;
    }

    private String runToEnd(String name, List<String> cmd) throws Exception {
        Process p = start(name, cmd);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + " did not finish");
        String out = Files.readString(dir.resolve(name + ".log"));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private List<String> consoleJar(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                built("firstline.consoleJar").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String field(String output, String label) {
        return output.lines().filter(l -> l.startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + label + "' in: " + output)).substring(label.length()).trim();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (String name : List.of("tar", "console", "token", "enroll", "agent")) {
            Path log = dir.resolve(name + ".log");
            if (Files.exists(log)) {
                System.out.println("---- " + name + " log ----\n" + Files.readString(log));
            }
        }
    }

    @Test
    void theUnpackedArchiveEnrollsAndStreamsToTheConsole() throws Exception {
        runToEnd("tar", List.of("tar", "-xzf", built("firstline.agentArchive").toString(), "-C", dir.toString()));
        String launcher = dir.resolve("firstline-agent/bin/firstline-agent").toString();

        Files.writeString(dir.resolve("console.yaml"), """
                dataDir: %s
                agent:
                  bind: 127.0.0.1
                  port: %d
                http:
                  bind: 127.0.0.1
                  port: %d
                sampleInterval: 1s
                """.formatted(dir.resolve("console-data"), agentPort, httpPort));
        start("console", consoleJar("serve", "--config", dir.resolve("console.yaml").toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/healthz").status() == 200);

        String created = runToEnd("token", consoleJar("token", "create", "--site", "it", "--ttl", "1h", "--max-uses", "1",
                "--data", dir.resolve("console-data").toString()));
        Files.writeString(dir.resolve("token"), field(created, "token:") + "\n");
        runToEnd("enroll", List.of(launcher, "enroll", "--console", "127.0.0.1:" + agentPort, "--token-file", "token",
                "--ca-fingerprint", field(created, "CA fingerprint:"), "--state-dir", "agent-state"));
        assertTrue(Files.isRegularFile(dir.resolve("agent-state/agent.crt")), "enrolled into the caller's directory");

        Process agent = start("agent", List.of(launcher, "run", "--console", "127.0.0.1:" + agentPort, "--state-dir", "agent-state"));
        Path login = dir.resolve("console-data/initial-admin-password");
        String[] userPassword = Files.readString(login).trim().split(" ");
        TestSupport.Auth auth = TestSupport.loginChangingOneTimePassword(base, userPassword[0], userPassword[1], "archive-test-password");
        String id = Files.readString(dir.resolve("agent-state/agent-id")).trim();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            TestSupport.Response r = get(base + "/api/agents/" + id, auth);
            return r.status() == 200 && "online".equals(r.json().path("status").asText()) && r.json().path("values").size() > 5;
        });
        JsonNode detail = get(base + "/api/agents/" + id, auth).json();
        assertTrue(detail.path("values").size() > 5, detail.toString());
        assertTrue(agent.isAlive());
        String log = Files.readString(dir.resolve("agent.log"));
        assertTrue(!log.contains("class-data archive"), log);
    }
}

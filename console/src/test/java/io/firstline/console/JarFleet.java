package io.firstline.console;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The shipped jars as separate processes in a test's directory, the way the
 * jar-level tests run them: a console serving from a {@code console.yaml} on
 * free loopback ports, its admin signed in, and an agent enrolled through the
 * real command line with a single-use token. Each process writes
 * {@code DIR/NAME.log}; {@link #close} kills whatever is still running.
 */
final class JarFleet implements AutoCloseable {
    final Path dir;
    final int agentPort = TestSupport.freePort();
    final int httpPort = TestSupport.freePort();
    final String base = "http://127.0.0.1:" + httpPort;
    private final List<Process> started = new ArrayList<>();

    JarFleet(Path dir) {
        this.dir = dir;
    }

    /** A jar the build passed to the test in a system property (see the failsafe configuration). */
    static Path jar(String property) {
        Path p = Path.of(System.getProperty(property, "missing-" + property));
        assertTrue(Files.isRegularFile(p), "built jar not found: " + p + " (run ./mvnw verify)");
        return p;
    }

    /** Runs {@code java -jar ARGS}, its output in {@code DIR/NAME.log}. */
    Process launch(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar"));
        cmd.addAll(List.of(args));
        return track(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start());
    }

    /** A process the test started itself, to be killed with the others. */
    Process track(Process p) {
        started.add(p);
        return p;
    }

    /** Starts the console (data in DIR/console-data, 2 s samples) and signs its admin in with a new password. */
    TestSupport.Auth startConsole(String adminPassword) throws IOException {
        Files.writeString(dir.resolve("console.yaml"), """
                dataDir: %s
                agent:
                  bind: 127.0.0.1
                  port: %d
                http:
                  bind: 127.0.0.1
                  port: %d
                sampleInterval: 2s
                """.formatted(dir.resolve("console-data"), agentPort, httpPort));
        launch("console", jar("firstline.consoleJar").toString(), "serve", "--config", dir.resolve("console.yaml").toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/healthz").status() == 200);
        String[] login = Files.readString(dir.resolve("console-data/initial-admin-password")).trim().split(" ");
        return TestSupport.loginChangingOneTimePassword(base, login[0], login[1], adminPassword);
    }

    /** Enrolls an agent into DIR/agent-state with a one-use token of site "it", made by the console's CLI. */
    void enrollAgent() throws IOException, InterruptedException {
        Process token = launch("token", jar("firstline.consoleJar").toString(), "token", "create", "--site", "it", "--ttl", "1h",
                "--max-uses", "1", "--data", dir.resolve("console-data").toString());
        assertTrue(token.waitFor(60, TimeUnit.SECONDS));
        String created = Files.readString(dir.resolve("token.log"));
        Files.writeString(dir.resolve("token"), TestSupport.printedField(created, "token:") + "\n");
        Process enroll = launch("enroll", jar("firstline.agentJar").toString(), "enroll", "--console", "127.0.0.1:" + agentPort,
                "--token-file", dir.resolve("token").toString(),
                "--ca-fingerprint", TestSupport.printedField(created, "CA fingerprint:"),
                "--state-dir", dir.resolve("agent-state").toString());
        assertTrue(enroll.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, enroll.exitValue(), Files.readString(dir.resolve("enroll.log")));
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}

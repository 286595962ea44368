package io.firstline.console;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.AgentIdentity;
import io.firstline.agent.AgentVersion;
import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.encode.HostFactsReader;
import io.firstline.agent.enroll.Enroller;
import io.firstline.agent.link.ConsoleAddress;
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
 * Several console nodes share one directory ({@link #node}): each has its
 * own ports, configuration, data directory and log.
 */
final class JarFleet implements AutoCloseable {
    final Path dir;
    final int agentPort = TestSupport.freePort();
    final int httpPort = TestSupport.freePort();
    final String base = "http://127.0.0.1:" + httpPort;
    /** The console node's name: its configuration is {@code DIR/NAME.yaml}, its data {@code DIR/NAME-data}, its log {@code DIR/NAME.log}. */
    final String name;
    private final List<Process> started;
    private String extraConfig = "";
    private Process console;

    JarFleet(Path dir) {
        this(dir, "console", new ArrayList<>());
    }

    private JarFleet(Path dir, String name, List<Process> started) {
        this.dir = dir;
        this.name = name;
        this.started = started;
    }

    /**
     * Another console node in the same directory, on ports of its own, with
     * this node's extra configuration (its store) and CA (copied into its
     * data directory, as docs/operations.md says); closed with this one.
     */
    JarFleet node(String nodeName) throws IOException {
        JarFleet other = new JarFleet(dir, nodeName, started).withConfig(extraConfig);
        java.nio.file.attribute.FileAttribute<?> privateDir = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.createDirectory(other.dataDir(), privateDir);
        Path pki = Files.createDirectory(other.dataDir().resolve("pki"), privateDir);
        for (String f : new String[] {"ca.crt", "ca.key"}) {
            Files.copy(dataDir().resolve("pki").resolve(f), pki.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return other;
    }

    /** Lines added to the console's configuration (e.g. its {@code store:}). */
    JarFleet withConfig(String yaml) {
        this.extraConfig = yaml;
        return this;
    }

    Path dataDir() {
        return dir.resolve(name + "-data");
    }

    /** The console process (to kill it the hard way); null before {@link #launchConsole}. */
    Process console() {
        return console;
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

    /** Starts the console (data in DIR/NAME-data, 2 s samples) and signs its admin in with a new password. */
    TestSupport.Auth startConsole(String adminPassword) throws IOException {
        launchConsole();
        String[] login = Files.readString(dataDir().resolve("initial-admin-password")).trim().split(" ");
        return TestSupport.loginChangingOneTimePassword(base, login[0], login[1], adminPassword);
    }

    /** Starts the console and waits until it is healthy (a node joining others has no admin of its own to sign in). */
    void launchConsole() throws IOException {
        Files.writeString(dir.resolve(name + ".yaml"), """
                dataDir: %s
                agent:
                  bind: 127.0.0.1
                  port: %d
                http:
                  bind: 127.0.0.1
                  port: %d
                sampleInterval: 2s
                """.formatted(dataDir(), agentPort, httpPort) + extraConfig);
        console = launch(name, jar("firstline.consoleJar").toString(), "serve", "--config", dir.resolve(name + ".yaml").toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/healthz").status() == 200);
    }

    /** Enrolls an agent into DIR/agent-state with a one-use token of site "it", made by the console's CLI. */
    void enrollAgent() throws IOException, InterruptedException {
        Process token = launch("token", jar("firstline.consoleJar").toString(), "token", "create", "--site", "it", "--ttl", "1h",
                "--max-uses", "1", "--config", dir.resolve(name + ".yaml").toString());
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

    /**
     * Enrolls {@code stateDir} for an agent the test runs in its own JVM (with collectors of its own) on this
     * node, with a one-use token of site "it" from the console jar's CLI (output in DIR/token-STATEDIR.log).
     */
    void enrollInProcess(Path stateDir) throws Exception {
        String log = "token-" + stateDir.getFileName();
        Process token = launch(log, jar("firstline.consoleJar").toString(), "token", "create", "--site", "it", "--ttl", "1h",
                "--max-uses", "1", "--config", dir.resolve(name + ".yaml").toString());
        assertTrue(token.waitFor(60, TimeUnit.SECONDS));
        String created = Files.readString(dir.resolve(log + ".log"));
        assertEquals(0, token.exitValue(), created);
        new Enroller(Duration.ofSeconds(15)).enroll(new ConsoleAddress("127.0.0.1", agentPort),
                TestSupport.printedField(created, "token:"), TestSupport.printedField(created, "CA fingerprint:"),
                AgentIdentity.loadOrCreate(stateDir), HostFactsReader.read(new HostProbe()), AgentVersion.get(), stateDir);
    }

    /** The end of this node's log, for a failing test's output. */
    String logTail() throws IOException {
        Path log = dir.resolve(name + ".log");
        String text = Files.exists(log) ? Files.readString(log) : "";
        return text.substring(Math.max(0, text.length() - 4000));
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

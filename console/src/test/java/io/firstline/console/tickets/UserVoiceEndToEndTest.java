package io.firstline.console.tickets;

import static io.firstline.console.TestSupport.get;
import static io.firstline.console.TestSupport.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.agent.voice.LocalClient;
import io.firstline.agent.voice.StatusText;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.proto.LocalReport;
import io.firstline.proto.LocalRequest;
import io.firstline.proto.LocalResponse;
import io.firstline.proto.LocalStatus;
import io.firstline.proto.LocalStatusQuery;
import io.firstline.proto.TicketNote;
import io.firstline.proto.UserReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's voice end to end: a real agent with its local socket and a real
 * console over loopback. A user reports; the ticket appears with the reporter
 * the kernel named and the snapshot; an engineer replies; {@code status}
 * shows the public reply and not the internal note. A report made while the
 * console is down arrives once it is back, once.
 */
class UserVoiceEndToEndTest {
    @TempDir
    Path dir;

    private static final LocalRequest STATUS = LocalRequest.newBuilder().setStatus(LocalStatusQuery.getDefaultInstance()).build();

    private ConsoleConfig config(int agentPort, int httpPort) {
        return ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", agentPort))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", httpPort))
                .withSampleInterval(Duration.ofSeconds(1));
    }

    private AgentRuntime agent(Console console, int agentPort) {
        return TestSupport.enrolledAgent(console, new AgentRuntime.Settings(List.of(new ConsoleAddress("127.0.0.1", agentPort)),
                dir.resolve("agent"), Duration.ofSeconds(1), CollectorRegistry.builtIn().select(Set.of(), Set.of())));
    }

    private static LocalResponse report(AgentRuntime agent, String text) throws LocalClient.Unreachable {
        return LocalClient.ask(agent.localSocket().orElseThrow(), LocalRequest.newBuilder().setReport(LocalReport.newBuilder()
                .setText(ByteString.copyFromUtf8(text))).build());
    }

    private static LocalStatus status(AgentRuntime agent) throws LocalClient.Unreachable {
        return LocalClient.ask(agent.localSocket().orElseThrow(), STATUS).getStatus();
    }

    private static JsonNode userTickets(String base, TestSupport.Auth auth) {
        return get(base + "/api/tickets?state=all&source=user", auth).json();
    }

    @Test
    void aUsersReportBecomesATicketAndThePublicReplyReachesStatus() throws Exception {
        int agentPort = TestSupport.freePort();
        int httpPort = TestSupport.freePort();
        String base = "http://127.0.0.1:" + httpPort;
        try (Console console = Console.start(config(agentPort, httpPort)); AgentRuntime agent = agent(console, agentPort)) {
            TestSupport.Auth auth = TestSupport.adminToken(console);
            await().atMost(Duration.ofSeconds(20)).until(agent::isConnected);
            // A fault ticket already open on this machine: the report links to it.
            Instant now = Instant.now();
            Ticket fault = console.tickets().apply(new FaultEvent(new FaultKey(agent.agentId(), "disk_full", "/"), true, "fs.used_ratio",
                    0.97, 0.95, now, now, "", 0, 0)).ticket().orElseThrow();

            String words = "My screen froze twice this morning while the backup ran, and the mouse pointer still moves but nothing"
                    + " else responds";
            LocalResponse r = report(agent, words);
            assertEquals("", r.getError());
            assertEquals(System.getProperty("user.name"), r.getReport().getUser(), "the peer credentials name the reporter");
            assertTrue(r.getReport().getConsoleConnected());

            await().atMost(Duration.ofSeconds(20)).until(() -> userTickets(base, auth).size() == 1);
            JsonNode summary = userTickets(base, auth).get(0);
            assertEquals("user", summary.path("source").asText());
            assertTrue(words.startsWith(summary.path("title").asText().replace("…", "")), summary.path("title").asText());
            assertTrue(summary.path("title").asText().length() <= 80);
            long id = summary.path("id").asLong();
            for (JsonNode t : get(base + "/api/tickets?state=all&source=fault", auth).json()) {
                assertEquals("fault", t.path("source").asText());
            }

            JsonNode detail = get(base + "/api/tickets/" + id, auth).json();
            JsonNode report = detail.path("report");
            assertEquals(System.getProperty("user.name"), report.path("reporter").asText());
            assertEquals(words, report.path("text").asText());
            assertEquals(words, detail.path("description").asText(), "the whole text");
            List<String> tables = new ArrayList<>();
            report.path("tables").forEach(t -> tables.add(t.path("name").asText()));
            assertTrue(tables.containsAll(List.of("machine", "cpu", "memory")), tables.toString());
            assertTrue(tables.contains("top processes"), "the top processes: " + tables);
            assertEquals(fault.id(), report.path("probablyRelated").get(0).path("id").asLong(), report.toString());
            // The fault ticket's engineer hears of the report too.
            boolean noted = false;
            for (JsonNode e : get(base + "/api/tickets/" + fault.id(), auth).json().path("timeline")) {
                noted |= e.path("kind").asText().equals("user_report") && e.path("detail").path("ticketId").asLong() == id;
            }
            assertTrue(noted, "the related fault ticket's timeline names the report");

            // Engineers reply: one public reply, one internal note; bad replies are refused.
            String reply = "We see it: the backup saturates the disk. Please leave the machine on tonight; ünïcödé ✓";
            assertEquals(200, post(base + "/api/tickets/" + id + "/reply", auth,
                    "{\"text\": \"" + reply + "\\u001b[2J\", \"public\": true}").status());
            assertEquals(200, post(base + "/api/tickets/" + id + "/reply", auth,
                    "{\"text\": \"internal: check the GPU driver\", \"public\": false}").status());
            assertEquals(400, post(base + "/api/tickets/" + id + "/reply", auth, "{\"text\": \"x\", \"public\": \"yes\"}").status());
            assertEquals(400, post(base + "/api/tickets/" + id + "/reply", auth, "{\"text\": \" \", \"public\": true}").status());
            assertEquals(200, post(base + "/api/tickets/" + id + "/ack", auth, "{}").status());

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                TicketNote t = note(status(agent), id);
                return t != null && t.getState().equals("acknowledged") && t.getRepliesCount() == 1;
            });
            LocalStatus s = status(agent);
            TicketNote mine = note(s, id);
            assertEquals(reply, mine.getReplies(0).getText(), "the control sequence was stripped on the way in");
            assertEquals("admin", mine.getReplies(0).getAuthor());
            assertEquals(System.getProperty("user.name"), mine.getReporter());
            assertTrue(note(s, fault.id()) != null, "fault tickets are in the status too");
            String text = new StatusText(ZoneOffset.UTC).render(s, false);
            assertTrue(text.contains("Reply from admin"), text);
            assertTrue(text.contains("Please leave the machine on tonight"), text);
            assertFalse(text.contains("internal: check the GPU driver"), "internal notes stay internal:\n" + text);
            assertEquals(0, s.getPendingCount(), "the report is carried by its ticket");
        }
    }

    private static TicketNote note(LocalStatus s, long id) {
        return s.getStatus().getTicketsList().stream().filter(t -> t.getId() == id).findFirst().orElse(null);
    }

    @Test
    void aReportMadeWhileTheConsoleIsDownArrivesOnceWhenItIsBack() throws Exception {
        int agentPort = TestSupport.freePort();
        int httpPort = TestSupport.freePort();
        String base = "http://127.0.0.1:" + httpPort;
        Console first = Console.start(config(agentPort, httpPort));
        AgentRuntime agent = agent(first, agentPort);
        Console second = null;
        boolean firstOpen = true;
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.isConnected() && status(agent).getReceivedMs() > 0);
            first.close();
            firstOpen = false;
            await().atMost(Duration.ofSeconds(10)).until(() -> !agent.isConnected());

            LocalResponse r = report(agent, "printer jammed while support was away");
            assertFalse(r.getReport().getConsoleConnected(), "the user is told it waits");
            LocalStatus offline = status(agent);
            assertFalse(offline.getConsoleConnected());
            assertEquals(1, offline.getPendingCount());
            assertTrue(new StatusText(ZoneOffset.UTC).render(offline, false).contains("Reports waiting to be sent"));

            second = Console.start(config(agentPort, httpPort));
            TestSupport.Auth auth = TestSupport.adminToken(second);
            Console c2 = second;
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.isConnected() && agent.pending() == 0
                    && c2.tickets().list(new TicketService.Query("all", "", "", "", "", "", 100, "user")).size() == 1);
            JsonNode t = userTickets(base, auth).get(0);
            assertEquals("printer jammed while support was away", t.path("title").asText());
            await().atMost(Duration.ofSeconds(10)).until(() -> status(agent).getPendingCount() == 0 && note(status(agent),
                    t.path("id").asLong()) != null);

            // The same report again (a replay after a console restart lost its memory) opens nothing new.
            UserReport again = UserReport.newBuilder().setReportId(t.path("id").isMissingNode() ? "" : reportId(base, auth, t))
                    .setUser("someone").setText("printer jammed while support was away").build();
            assertTrue(new UserTickets(c2.tickets()).apply(agent.agentId(), agent.bootEpoch(), 999, again).isEmpty());
            assertEquals(1, userTickets(base, auth).size(), "arrived once");
        } finally {
            agent.close();
            if (second != null) {
                second.close();
            }
            if (firstOpen) {
                first.close();
            }
        }
    }

    private static String reportId(String base, TestSupport.Auth auth, JsonNode ticket) {
        return get(base + "/api/tickets/" + ticket.path("id").asLong(), auth).json().path("report").path("reportId").asText();
    }

    /**
     * A real second user: created here (root only), runs the real
     * {@code firstline-agent report} in its own JVM as that user, with USER
     * and LOGNAME claiming to be root. The ticket names the user the kernel
     * saw. The user is removed afterwards.
     */
    @Test
    void aNonRootUserReportsAndIsNamedByTheKernelNotByTheirClaims() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && System.getenv(TestSupport.REQUIRE_TOOLS) == null) {
            assumeTrue(false, "needs root to create a second user (CI runs as root); the other tests cover a non-root reporter");
        }
        assertTrue(root, "needs root to create a second user");
        TestSupport.requireTool("useradd", "passwd");
        TestSupport.requireTool("runuser", "util-linux");
        String user = "flrep" + (ProcessHandle.current().pid() % 100000);
        run(List.of("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user), 0);
        int agentPort = TestSupport.freePort();
        int httpPort = TestSupport.freePort();
        String base = "http://127.0.0.1:" + httpPort;
        Path classpath = null;
        // Laid out like the installed agent: a private state directory, the socket in a runtime directory
        // every user may search (as systemd makes /run/firstline-agent), here under the test's directory.
        Path runDir = dir.resolve("run");
        Files.createDirectories(runDir);
        for (Path p = runDir; p.startsWith(dir); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(p.equals(runDir) ? "rwxr-xr-x" : "rwx--x--x"));
        }
        Path socket = runDir.resolve("agent.sock");
        try (Console console = Console.start(config(agentPort, httpPort));
             AgentRuntime agent = installedLike(console, agentPort, socket)) {
            TestSupport.Auth auth = TestSupport.adminToken(console);
            await().atMost(Duration.ofSeconds(20)).until(agent::isConnected);
            classpath = readableClasspath();
            List<String> cmd = List.of("runuser", "-u", user, "--", "env", "USER=root", "LOGNAME=root", "HOME=/tmp",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath + "/*:" + classpath + "/classes",
                    "io.firstline.agent.AgentMain", "report", "--socket", socket.toString(), "the VPN drops every few minutes");
            String out = run(cmd, 0);
            assertTrue(out.contains("recorded as " + user), out);

            await().atMost(Duration.ofSeconds(20)).until(() -> userTickets(base, auth).size() == 1);
            long id = userTickets(base, auth).get(0).path("id").asLong();
            assertEquals(user, get(base + "/api/tickets/" + id, auth).json().path("report").path("reporter").asText(),
                    "the kernel's word, not USER=root");

            assertEquals(200, post(base + "/api/tickets/" + id + "/reply", auth,
                    "{\"text\": \"Restarting the VPN gateway now.\", \"public\": true}").status());
            List<String> statusCmd = new ArrayList<>(cmd.subList(0, cmd.size() - 5));
            statusCmd.addAll(List.of("io.firstline.agent.AgentMain", "status", "--socket", socket.toString()));
            await().atMost(Duration.ofSeconds(20)).until(() -> run(statusCmd, 0).contains("Restarting the VPN gateway now."));
            String status = run(statusCmd, 0);
            assertTrue(status.contains("Reported: \"the VPN drops every few minutes\""), status);
            assertTrue(status.contains("Reported by " + user), status);
        } finally {
            run(List.of("userdel", user), -1);
            if (classpath != null) {
                deleteTree(classpath);
            }
        }
    }

    private AgentRuntime installedLike(Console console, int agentPort, Path socket) {
        AgentRuntime.Settings settings = new AgentRuntime.Settings(List.of(new ConsoleAddress("127.0.0.1", agentPort)),
                dir.resolve("agent"), Duration.ofSeconds(1), CollectorRegistry.builtIn().select(Set.of(), Set.of()));
        io.firstline.console.cli.DemoCommand.enrollLocalAgent(console, settings.consoles().get(0), settings.stateDir());
        return AgentRuntime.start(settings, io.firstline.agent.config.AgentConfig.defaults(),
                io.firstline.agent.voice.LocalServer.Settings.at(socket));
    }

    /** The agent's classes and the jars they need, copied where any user may read them (root's ~/.m2 is private). */
    private static Path readableClasspath() throws IOException {
        Path target = Files.createTempDirectory("firstline-cp-");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path classes = Files.createDirectories(target.resolve("classes"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.toString();
            if (Files.isDirectory(p) && (name.contains("/agent/target/classes") || name.contains("/proto/target/classes"))) {
                try (Stream<Path> files = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path to = classes.resolve(p.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(to);
                        } else {
                            Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else if (name.endsWith(".jar") && p.getFileName().toString().matches(
                    "(protobuf-java|picocli|jackson-|slf4j-|oshi-|jna|bc[a-z]+-jdk|netty-).*|firstline-(agent|proto).*")) {
                Files.copy(p, target.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (Stream<Path> all = Files.walk(target)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return target;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs a command; its output (stdout and stderr), checking the exit code unless {@code expected} is -1. */
    private static String run(List<String> command, int expected) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (expected >= 0 && p.exitValue() != expected) {
                throw new AssertionError(command + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

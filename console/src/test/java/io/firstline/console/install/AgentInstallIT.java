package io.firstline.console.install;

import static io.firstline.console.install.InstallSupport.deleteTree;
import static io.firstline.console.install.InstallSupport.mode;
import static io.firstline.console.install.InstallSupport.oneLineError;
import static io.firstline.console.install.InstallSupport.run;
import static io.firstline.console.install.InstallSupport.snapshot;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.install.InstallSupport.Run;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install/agent/install.sh for real, as root, into scratch roots ({@code --root}):
 * the one-line install from a real console (script, archive, checksum and the
 * install code all from its {@code /install/...} routes), then the installed
 * agent run as the {@code firstline} user with the unit's own command line,
 * online at the console; a re-run that changes nothing; an upgrade that keeps
 * identity, spool and configuration; bad input that stops before changing
 * anything, in one line; uninstall and purge.
 */
class AgentInstallIT {
    static final Path SCRIPT = InstallSupport.REPO.resolve("install/agent/install.sh");
    /** Set by .ci/run: the install onto this machine itself (not a scratch root) may run. */
    static final String ON_HOST = "FIRSTLINE_INSTALL_ON_HOST";

    @TempDir
    static Path dir;
    static Console console;
    static String base;
    static TestSupport.Auth admin;
    static boolean madeUser;
    static final List<Path> roots = new ArrayList<>();
    static final List<Process> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        InstallSupport.requireRoot();
        madeUser = !InstallSupport.userExists("firstline");
        console = Console.start(ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1)));
        base = "http://127.0.0.1:" + console.httpPort();
        admin = TestSupport.adminToken(console);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : agents) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (console != null) {
            console.close();
        }
        for (Path r : roots) {
            deleteTree(r);
        }
        if (madeUser && InstallSupport.userExists("firstline")) {
            run(List.of("userdel", "firstline"), null, 30);
        }
    }

    /** A new enrollment token made on the admin API, as the admin page does: its answer carries the install code. */
    static JsonNode newToken(int maxUses) {
        TestSupport.Response r = TestSupport.post(base + "/api/tokens", admin, "{\"site\":\"install-test\",\"ttl\":\"1h\",\"maxUses\":" + maxUses + "}");
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    static Path script() throws IOException {
        TestSupport.Response r = TestSupport.get(base + "/install/agent.sh");
        assertEquals(200, r.status(), r.body());
        assertEquals(Files.readString(SCRIPT), r.body(), "the console serves install/agent/install.sh as it is");
        Path s = dir.resolve("agent.sh");
        Files.writeString(s, r.body());
        return s;
    }

    static Run install(Path root, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", script().toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--root", root.toString()));
        return run(cmd, null, 240);
    }

    static List<String> oneLine(JsonNode token) {
        return List.of("--url", base, "--console", "127.0.0.1:" + console.agentPort(),
                "--ca-fingerprint", token.get("caFingerprint").asText(), "--code", token.get("installCode").asText());
    }

    @Test
    void installRunUpgradeRerunAndRemoveForReal() throws Exception {
        Path root = InstallSupport.scratchRoot("firstline-root");
        roots.add(root);
        JsonNode token = newToken(1);

        // 1. The one-line install, from the console.
        Run first = install(root, concat(oneLine(token), "--no-start"));
        assertEquals(0, first.exit(), first.both());
        Path prefix = root.resolve("opt/firstline-agent");
        Path state = root.resolve("var/lib/firstline-agent");
        String agentId = Files.readString(state.resolve("agent-id")).trim();
        assertTrue(Files.isSymbolicLink(prefix.resolve("current")), first.both());
        assertTrue(Files.isExecutable(prefix.resolve("current/bin/firstline-agent")));
        assertEquals("rw-r----- root:firstline", mode(root.resolve("etc/firstline/agent.conf")));
        assertEquals("rw-r----- root:firstline", mode(root.resolve("etc/firstline/agent.env")));
        assertEquals("FIRSTLINE_CONSOLE=127.0.0.1:" + console.agentPort() + "\n", Files.readString(root.resolve("etc/firstline/agent.env")));
        assertEquals("rwx------ firstline:firstline", mode(state));
        assertEquals("rw------- firstline:firstline", mode(state.resolve("agent.key")));
        assertEquals(Files.readString(UnitHardeningTest.AGENT_UNIT), Files.readString(root.resolve("etc/systemd/system/firstline-agent.service")),
                "install.sh installs the unit of install/agent as it is");
        assertTrue(Files.isSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/firstline-agent.service")));
        assertTrue(InstallSupport.userExists("firstline"));
        assertTrue(run(List.of("getent", "passwd", "firstline"), null, 10).out().trim().endsWith(":/usr/sbin/nologin"));
        // The code was good for one exchange, which the script made.
        assertEquals(410, TestSupport.send(HttpRequest.newBuilder(URI.create(base + "/install/token"))
                .POST(HttpRequest.BodyPublishers.ofString(token.get("installCode").asText()))).status());

        // 2. The installed agent, run as the unit runs it, as 'firstline': online at the console.
        Process agent = startAgent(root);
        awaitOnline(agentId);
        assertEquals("firstline", agent.info().user().orElse(""));
        stopAgent(agent);
        String log = Files.readString(root.resolve("agent-0.log"));
        assertFalse(log.contains("cannot open /dev/kmsg"), "with the unit's capabilities the agent reads kernel events:\n" + log);

        // 3. Running the same line again changes nothing (the used code is not needed: already enrolled).
        TreeMap<String, String> before = snapshot(root);
        Run again = install(root, concat(oneLine(token), "--no-start"));
        assertEquals(0, again.exit(), again.both());
        assertTrue(again.out().contains("nothing changed"), again.both());
        assertEquals(before, snapshot(root), "a re-run changed the installation");

        // 4. Bad input on an installed machine stops before changing it, in one line.
        Path original = Path.of(System.getProperty("firstline.agentArchive"));
        Run mismatch = install(root, "--archive", original.toString(), "--sha256", "0".repeat(64), "--no-start");
        assertTrue(oneLineError(mismatch).contains("checksum mismatch"), mismatch.both());
        Path broken = repack(original, "broken", true);
        Run wontStart = install(root, "--archive", broken.toString(), "--sha256", sha256(broken), "--no-start");
        assertTrue(oneLineError(wontStart).contains("the new agent does not start"), wontStart.both());
        assertEquals(before, snapshot(root), "bad input changed the installation");

        // 5. An upgrade to a newer archive keeps identity, spool and configuration.
        byte[] key = Files.readAllBytes(state.resolve("agent.key"));
        byte[] cert = Files.readAllBytes(state.resolve("agent.crt"));
        Files.writeString(root.resolve("etc/firstline/agent.conf"), "collectors.disable = power\n");
        Path newer = repack(original, "newer", false);
        String oldRelease = Files.readSymbolicLink(prefix.resolve("current")).toString();
        Run upgrade = install(root, "--archive", newer.toString(), "--sha256", sha256(newer), "--no-start");
        assertEquals(0, upgrade.exit(), upgrade.both());
        String newRelease = Files.readSymbolicLink(prefix.resolve("current")).toString();
        assertNotEquals(oldRelease, newRelease);
        assertTrue(Files.exists(prefix.resolve("current/UPGRADED")), "the new archive is the one in use");
        assertTrue(Files.isDirectory(prefix.resolve(oldRelease)), "the previous release stays for a rollback");
        assertArrayEquals(key, Files.readAllBytes(state.resolve("agent.key")));
        assertArrayEquals(cert, Files.readAllBytes(state.resolve("agent.crt")));
        assertEquals(agentId, Files.readString(state.resolve("agent-id")).trim());
        assertTrue(Files.isDirectory(state.resolve("spool")), "the spool survives");
        assertEquals("collectors.disable = power\n", Files.readString(root.resolve("etc/firstline/agent.conf")));
        Process upgraded = startAgent(root);
        awaitOnline(agentId);
        stopAgent(upgraded);

        // 6. Uninstall keeps identity and configuration; purge removes them and says how to revoke.
        Run remove = install(root, "--uninstall");
        assertEquals(0, remove.exit(), remove.both());
        assertFalse(Files.exists(prefix, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(root.resolve("etc/systemd/system/firstline-agent.service")));
        assertFalse(Files.exists(root.resolve("etc/systemd/system/multi-user.target.wants/firstline-agent.service"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(state.resolve("agent.key")) && Files.exists(root.resolve("etc/firstline/agent.conf")));
        Run purge = install(root, "--uninstall", "--purge");
        assertEquals(0, purge.exit(), purge.both());
        assertFalse(Files.exists(state) || Files.exists(root.resolve("etc/firstline")), purge.both());
        assertTrue(purge.out().contains("revoke agent " + agentId), purge.both());
    }

    @Test
    void badInputOnAFreshMachineChangesNothing() throws Exception {
        Path root = InstallSupport.scratchRoot("firstline-bad");
        roots.add(root);
        TreeMap<String, String> empty = snapshot(root);
        JsonNode token = newToken(1);
        String fingerprint = token.get("caFingerprint").asText();
        String wrong = fingerprint.substring(0, fingerprint.length() - 2) + (fingerprint.endsWith("00") ? "11" : "00");

        Run wrongCa = install(root, "--url", base, "--console", "127.0.0.1:" + console.agentPort(), "--ca-fingerprint", wrong,
                "--code", token.get("installCode").asText(), "--no-start");
        assertTrue(oneLineError(wrongCa).startsWith("install.sh: enrollment failed:"), wrongCa.both());
        // That code is spent now: the token it stood for is never shown again.
        Run usedCode = install(root, concat(oneLine(token), "--no-start"));
        assertTrue(oneLineError(usedCode).contains("install code was refused (410)"), usedCode.both());

        int closed = TestSupport.freePort();
        Run unreachable = install(root, "--url", "http://127.0.0.1:" + closed, "--console", "127.0.0.1:" + closed,
                "--ca-fingerprint", fingerprint, "--code", newToken(1).get("installCode").asText(), "--no-start");
        assertTrue(oneLineError(unreachable).startsWith("install.sh: cannot reach the console at"), unreachable.both());

        // A token already used up, from stdin.
        String usedUp = newToken(1).get("token").asText();
        Path other = InstallSupport.scratchRoot("firstline-other");
        roots.add(other);
        Path archive = Path.of(System.getProperty("firstline.agentArchive"));
        Run ok = run(List.of("sh", SCRIPT.toString(), "--archive", archive.toString(), "--sha256", sha256(archive),
                "--console", "127.0.0.1:" + console.agentPort(), "--ca-fingerprint", fingerprint, "--token-file", "-",
                "--root", other.toString(), "--no-start"), usedUp + "\n", 240);
        assertEquals(0, ok.exit(), ok.both());
        Run usedUpToken = run(List.of("sh", SCRIPT.toString(), "--archive", archive.toString(), "--sha256", sha256(archive),
                "--console", "127.0.0.1:" + console.agentPort(), "--ca-fingerprint", fingerprint, "--token-file", "-",
                "--root", root.toString(), "--no-start"), usedUp + "\n", 240);
        assertTrue(oneLineError(usedUpToken).startsWith("install.sh: enrollment failed:"), usedUpToken.both());

        Run onArgv = install(root, "--token", usedUp);
        assertTrue(oneLineError(onArgv).contains("never taken on the command line"), onArgv.both());
        assertEquals(empty, snapshot(root), "a failed install left something behind");
    }

    /**
     * The same install onto this machine itself (no --root), only where
     * {@value #ON_HOST} is set (.ci/run sets it; CI machines are throwaway):
     * without systemd as PID 1 the script installs everything, says it could
     * not start the service and exits 1; then --uninstall --purge leaves
     * nothing behind.
     */
    @Test
    void onThisMachineWhereAllowed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(ON_HOST) != null,
                ON_HOST + " is not set: the install onto this machine itself is skipped");
        for (String p : List.of("/opt/firstline-agent", "/var/lib/firstline-agent", "/etc/firstline/agent.env",
                "/etc/systemd/system/firstline-agent.service")) {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of(p), LinkOption.NOFOLLOW_LINKS),
                    p + " exists: this machine has an agent installed, which the test will not touch");
        }
        boolean systemd = Files.isDirectory(Path.of("/run/systemd/system"));
        JsonNode token = newToken(1);
        List<String> cmd = new ArrayList<>(List.of("sh", script().toString()));
        cmd.addAll(oneLine(token));
        try {
            Run r = run(cmd, null, 240);
            if (systemd) {
                assertEquals(0, r.exit(), r.both());
            } else {
                assertEquals(1, r.exit(), r.both());
                assertTrue(r.out().contains("systemd is not running here"), r.both());
            }
            assertTrue(Files.isExecutable(Path.of("/opt/firstline-agent/current/bin/firstline-agent")));
            assertEquals("rwx------ firstline:firstline", mode(Path.of("/var/lib/firstline-agent")));
            assertTrue(Files.exists(Path.of("/etc/systemd/system/firstline-agent.service")));
            // Installed for real, the unit passes systemd's own check (its ExecStart exists now).
            Path analyze = TestSupport.requireTool("systemd-analyze", "systemd");
            Run verify = run(List.of(analyze.toString(), "verify", "/etc/systemd/system/firstline-agent.service"), null, 60);
            assertEquals(0, verify.exit(), verify.both());
        } finally {
            Run purge = run(List.of("sh", SCRIPT.toString(), "--uninstall", "--purge"), null, 120);
            assertEquals(0, purge.exit(), purge.both());
        }
        for (String p : List.of("/opt/firstline-agent", "/var/lib/firstline-agent", "/etc/firstline/agent.env",
                "/etc/firstline/agent.conf", "/etc/systemd/system/firstline-agent.service")) {
            assertFalse(Files.exists(Path.of(p), LinkOption.NOFOLLOW_LINKS), p + " is left after --purge");
        }
        assertFalse(InstallSupport.userExists("firstline"), "--purge removes the user");
    }

    private static String[] concat(List<String> a, String... more) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /**
     * The unit's ExecStart with its paths moved under {@code root} and its
     * environment file read, run as the unit's user; the runtime directory
     * made as systemd would (RuntimeDirectory=, 0755).
     */
    static Process startAgent(Path root) throws Exception {
        String unit = Files.readString(root.resolve("etc/systemd/system/firstline-agent.service"));
        String exec = value(unit, "ExecStart");
        String user = value(unit, "User");
        Map<String, String> env = new TreeMap<>();
        for (String line : Files.readAllLines(root.resolve(value(unit, "EnvironmentFile").substring(1)))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        Path run = root.resolve("run/firstline-agent");
        Files.createDirectories(run);
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        InstallSupport.run(List.of("chown", user + ":" + user, run.toString()), null, 10);
        // The unit's ambient capabilities, as systemd would grant them (CAP_SYSLOG opens /dev/kmsg, checked below).
        String caps = String.join(",", java.util.Arrays.stream(value(unit, "AmbientCapabilities").split(" +"))
                .map(c -> "+" + c.toLowerCase(java.util.Locale.ROOT).replaceFirst("^cap_", "")).toList());
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups",
                "--inh-caps=" + caps, "--ambient-caps=" + caps, "--"));
        for (String word : exec.split(" +")) {
            if (word.startsWith("${") && word.endsWith("}")) {
                word = env.get(word.substring(2, word.length() - 1));
            } else if (word.startsWith("/")) {
                word = root + word;
            }
            cmd.add(word);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(root.resolve("agent-" + agents.size() + ".log").toFile());
        Process p = pb.start();
        agents.add(p);
        return p;
    }

    static String value(String unit, String key) {
        return unit.lines().filter(l -> l.startsWith(key + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + "= in the unit")).substring(key.length() + 1);
    }

    static void awaitOnline(String agentId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            TestSupport.Response r = TestSupport.get(base + "/api/agents/" + agentId, admin);
            return r.status() == 200 && "online".equals(r.json().path("status").asText());
        });
    }

    static void stopAgent(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
    }

    /** The archive unpacked, changed (a marker file, or a launcher that fails) and packed again, mtimes kept. */
    static Path repack(Path archive, String name, boolean broken) throws Exception {
        Path work = dir.resolve("repack-" + name);
        Files.createDirectories(work);
        Run x = run(List.of("tar", "-xzf", archive.toString(), "-C", work.toString()), null, 120);
        assertEquals(0, x.exit(), x.both());
        Path top = work.resolve("firstline-agent");
        if (broken) {
            Files.writeString(top.resolve("bin/firstline-agent"), "#!/bin/sh\necho 'Error: cannot load the runtime' >&2\nexit 1\n");
        } else {
            Files.writeString(top.resolve("UPGRADED"), name + "\n");
        }
        Path out = dir.resolve(name + ".tar.gz");
        Run c = run(List.of("tar", "-czf", out.toString(), "-C", work.toString(), "firstline-agent"), null, 180);
        assertEquals(0, c.exit(), c.both());
        deleteTree(work);
        return out;
    }

    static String sha256(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}

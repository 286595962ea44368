package io.firstline.console;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jars on real kernel faults: an OOM kill inside a memory-limited
 * cgroup and a loop-mounted ext4 remounted read-only each become a ticket in
 * GET /api/tickets, the OOM ticket naming the killed process, the read-only
 * one with its automatic triage (kernel log, mount options) on its timeline. Needs root, a
 * loop device and the cgroup memory controller; skipped with a message
 * elsewhere, a failure where FIRSTLINE_REQUIRE_TOOLS is set (CI runs as root).
 * Mounts, loop devices and cgroups are removed in {@link #cleanUp} even when
 * the test fails.
 */
class KernelFaultsIT {
    @TempDir
    Path dir;
    private JarFleet fleet;
    private String base;
    private String loop;
    private Path mnt;
    private Path cgroup;

    private static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** The memory cgroup to make: v2 where the unified hierarchy has the memory controller, else v1's memory hierarchy. */
    private static Optional<Path> memoryCgroupParent() throws IOException {
        Path v2 = Path.of("/sys/fs/cgroup/cgroup.controllers");
        if (Files.isRegularFile(v2) && Files.readString(v2).contains("memory")) {
            return Optional.of(Path.of("/sys/fs/cgroup"));
        }
        Path v1 = Path.of("/sys/fs/cgroup/memory");
        return Files.isRegularFile(v1.resolve("memory.limit_in_bytes")) ? Optional.of(v1) : Optional.empty();
    }

    private static void requireRoot(boolean possible, String why) {
        if (possible) {
            return;
        }
        String message = why + "; test skipped";
        if (System.getenv(TestSupport.REQUIRE_TOOLS) != null) {
            fail(why + "; " + TestSupport.REQUIRE_TOOLS + " is set, so this is a failure");
        }
        Assumptions.abort(message);
    }

    private Optional<JsonNode> ticket(TestSupport.Auth auth, String ruleId, String resource) {
        TestSupport.Response r = get(base + "/api/tickets", auth);
        if (r.status() != 200) {
            return Optional.empty();
        }
        for (JsonNode t : r.json()) {
            if (ruleId.equals(t.path("ruleId").asText()) && resource.equals(t.path("resource").asText())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Test
    void aRealOomKillAndARealReadOnlyRemountOpenTickets() throws Exception {
        boolean linuxRoot = "root".equals(System.getProperty("user.name")) && System.getProperty("os.name").startsWith("Linux");
        requireRoot(linuxRoot, "a real OOM kill and a read-only remount need root on Linux");
        requireRoot(Files.exists(Path.of("/dev/loop-control")) && Files.isReadable(Path.of("/dev/kmsg")),
                "no loop devices or no /dev/kmsg here");
        Optional<Path> cgroupParent = memoryCgroupParent();
        requireRoot(cgroupParent.isPresent(), "no cgroup memory controller (v1 or v2) here");

        Path image = dir.resolve("fs.img");
        mnt = Files.createDirectories(dir.resolve("mnt"));
        sh("truncate", "-s", "32M", image.toString());
        sh("mkfs.ext4", "-q", "-F", image.toString());
        loop = sh("losetup", "-f", "--show", image.toString());
        sh("mount", loop, mnt.toString());

        fleet = new JarFleet(dir);
        base = fleet.base;
        TestSupport.Auth auth = fleet.startConsole("kernel-faults-password");
        fleet.enrollAgent();
        fleet.launch("agent", JarFleet.jar("firstline.agentJar").toString(), "run", "--console", "127.0.0.1:" + fleet.agentPort,
                "--state-dir", dir.resolve("agent-state").toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            TestSupport.Response r = get(base + "/api/agents", auth);
            return r.status() == 200 && r.json().size() == 1 && "online".equals(r.json().get(0).path("status").asText());
        });
        // let a sample see the file system writable: the rule raises on a change, not on a state
        Thread.sleep(3_000);

        sh("mount", "-o", "remount,ro", mnt.toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> ticket(auth, "filesystem_read_only", mnt.toString()).isPresent());
        // Automatic triage: the rule's diagnostics ran on the agent and their results are on the ticket's timeline.
        long readOnly = ticket(auth, "filesystem_read_only", mnt.toString()).orElseThrow().path("id").asLong();
        JsonNode triaged = await().atMost(Duration.ofSeconds(30)).until(() -> get(base + "/api/tickets/" + readOnly, auth).json(),
                t -> triageDone(t, "kernel_log") != null && triageDone(t, "mounts") != null);
        JsonNode mounts = get(base + "/api/diagnostics/" + triageDone(triaged, "mounts").path("diagnosticId").asLong(), auth).json();
        assertEquals("triage", mounts.path("requestedBy").asText());
        assertTrue(mounts.path("result").path("message").asText().contains("read-only"), mounts.toString());
        assertTrue(mounts.path("result").path("output").asText().contains(mnt.toString()), mounts.toString());

        cgroup = cgroupParent.get().resolve("firstline-it-" + ProcessHandle.current().pid());
        Files.createDirectories(cgroup);
        if (Files.exists(cgroup.resolve("memory.max"))) {
            Files.writeString(cgroup.resolve("memory.max"), "32M");
            if (Files.exists(cgroup.resolve("memory.swap.max"))) {
                Files.writeString(cgroup.resolve("memory.swap.max"), "0");
            }
        } else {
            Files.writeString(cgroup.resolve("memory.limit_in_bytes"), "32M");
            try {
                Files.writeString(cgroup.resolve("memory.swappiness"), "0");
            } catch (IOException e) {
                // not settable on every kernel; without swap it does not matter
            }
        }
        // tail reading /dev/zero looks for a newline that never comes and buffers until the OOM killer ends it
        Process hog = new ProcessBuilder("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec tail /dev/zero")
                .redirectErrorStream(true).start();
        fleet.track(hog);
        assertTrue(hog.waitFor(60, TimeUnit.SECONDS), "the memory hog was not killed");
        JsonNode oom = await().atMost(Duration.ofSeconds(10)).until(() -> ticket(auth, "oom_kill", "tail"), Optional::isPresent)
                .orElseThrow();
        assertTrue(oom.path("title").asText().contains("tail"), oom.toString());
        assertEquals("critical", oom.path("severity").asText());
    }

    /** The detail of the ticket's finished {@code diagnostic} event of {@code action} by triage, or null. */
    private static JsonNode triageDone(JsonNode ticket, String action) {
        for (JsonNode e : ticket.path("timeline")) {
            JsonNode d = e.path("detail");
            if (e.path("kind").asText().equals("diagnostic") && e.path("actor").asText().equals("triage")
                    && d.path("action").asText().equals(action) && d.path("state").asText().equals("done")) {
                return d;
            }
        }
        return null;
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        try {
            if (mnt != null && loop != null) {
                sh("umount", "-l", mnt.toString());
            }
        } finally {
            try {
                if (loop != null) {
                    sh("losetup", "-d", loop);
                }
            } finally {
                if (cgroup != null && Files.isDirectory(cgroup)) {
                    Files.delete(cgroup);
                }
            }
        }
        for (String name : List.of("console", "agent")) {
            Path log = dir.resolve(name + ".log");
            if (Files.exists(log)) {
                System.out.println("---- " + name + " log ----\n" + Files.readString(log));
            }
        }
    }
}

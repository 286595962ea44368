package io.firstline.agent.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event sources on real faults: a loop-mounted ext4 remounted read-only
 * and back, the same file system turned read-only by the kernel after an
 * error, and a veth whose peer (in a network namespace of this test) goes
 * down. Needs root; cleans up in finally.
 */
class EventSourcesRootTest {
    @TempDir
    Path dir;

    record Reading(String metric, String resource, double value, long atNanos) {
    }

    private final List<Reading> readings = new CopyOnWriteArrayList<>();
    private final List<KernelEvent> events = new CopyOnWriteArrayList<>();
    private final EventSources.Sink sink = new EventSources.Sink() {
        @Override
        public void event(KernelEvent e) {
            events.add(e);
        }

        @Override
        public void reading(String metric, String resource, double value) {
            readings.add(new Reading(metric, resource, value, System.nanoTime()));
        }
    };

    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    private Optional<Reading> awaitReading(String metric, String resource, double value, long afterNanos) {
        await().atMost(Duration.ofSeconds(5)).until(() -> readings.stream().anyMatch(r -> matches(r, metric, resource, value, afterNanos)));
        return readings.stream().filter(r -> matches(r, metric, resource, value, afterNanos)).findFirst();
    }

    private static boolean matches(Reading r, String metric, String resource, double value, long after) {
        return r.metric().equals(metric) && r.resource().equals(resource) && r.value() == value && r.atNanos() >= after;
    }

    @Test
    void readOnlyRemountsAndKernelErrorsReachTheRulesAtOnce() throws Exception {
        RootOnly.require(RootOnly.root() && Files.exists(Path.of("/dev/loop-control")), "loop-mounting a file system");
        Path image = dir.resolve("fs.img");
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        String loop = null;
        boolean mounted = false;
        try {
            sh("truncate", "-s", "32M", image.toString());
            sh("mkfs.ext4", "-q", "-F", image.toString());
            loop = sh("losetup", "-f", "--show", image.toString());
            sh("mount", "-o", "errors=remount-ro", loop, mnt.toString());
            mounted = true;
            try (EventSources s = EventSources.start(KernelPatterns.builtIn(), sink, dir.resolve("state-" + System.nanoTime()),
                    Duration.ofMillis(250))) {
                assertEquals(Optional.empty(), s.fallback(EventSources.MOUNTS));
                long t0 = System.nanoTime();
                sh("mount", "-o", "remount,ro", mnt.toString());
                Reading ro = awaitReading("fs.read_only", mnt.toString(), 1, t0).orElseThrow();
                long t1 = System.nanoTime();
                sh("mount", "-o", "remount,rw", mnt.toString());
                awaitReading("fs.read_only", mnt.toString(), 0, t1);
                assertTrue(ro.atNanos() - t0 < 1_000_000_000L, "remount seen after " + (ro.atNanos() - t0) / 1e6 + " ms");
                // The kernel makes it read-only after an error: no mount-table change, only the kernel log says so.
                if (Files.isWritable(KernelLog.DEVICE)) {
                    long t2 = System.nanoTime();
                    String dev = loop.substring(loop.lastIndexOf('/') + 1);
                    Files.writeString(Path.of("/sys/fs/ext4", dev, "trigger_fs_error"), "firstline test error");
                    awaitReading("fs.read_only", mnt.toString(), 1, t2);
                    await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
                            .anyMatch(e -> e.type().equals("fs_error") && e.resource().equals(dev)));
                    assertTrue(events.stream().anyMatch(e -> e.type().equals("fs_read_only") && e.resource().equals(dev)));
                }
            }
        } finally {
            if (mounted) {
                sh("umount", "-l", mnt.toString());
            }
            if (loop != null) {
                sh("losetup", "-d", loop);
            }
        }
    }

    @Test
    void linkLossOfAVethIsSeenAtOnce() throws Exception {
        RootOnly.require(RootOnly.root() && (Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))),
                "making a veth pair and a network namespace");
        String ns = "flt" + ProcessHandle.current().pid() % 100000;
        String end = "fla" + ProcessHandle.current().pid() % 100000;
        sh("ip", "netns", "add", ns);
        try {
            sh("ip", "link", "add", end, "type", "veth", "peer", "name", "flb", "netns", ns);
            sh("ip", "link", "set", end, "up");
            sh("ip", "-n", ns, "link", "set", "flb", "up");
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(Path.of("/sys/class/net", end, "operstate")).trim()
                    .equals("up"));
            try (EventSources s = EventSources.start(KernelPatterns.builtIn(), sink, dir.resolve("state"), Duration.ofMillis(250))) {
                long t0 = System.nanoTime();
                sh("ip", "-n", ns, "link", "set", "flb", "down");
                Reading down = awaitReading("net.up", end, 0, t0).orElseThrow();
                assertTrue(down.atNanos() - t0 < 1_000_000_000L, "link loss seen after " + (down.atNanos() - t0) / 1e6 + " ms");
                long t1 = System.nanoTime();
                sh("ip", "-n", ns, "link", "set", "flb", "up");
                awaitReading("net.up", end, 1, t1);
            }
        } finally {
            try {
                sh("ip", "link", "del", end);
            } finally {
                sh("ip", "netns", "del", ns);
            }
        }
    }
}

package io.firstline.agent.events;

import io.firstline.agent.collect.LinuxMounts;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the mount table: {@code /proc/self/mountinfo} raises POLLPRI when
 * a mount is added, removed or remounted, and on that the table (one small
 * read, no statvfs) is read again and each mount whose read-only state
 * changed, or that is new, is written as {@code fs.read_only} at once. Sizes
 * and inodes keep the sample cadence. A file system the kernel itself made
 * read-only after errors does not touch the mount table; the kernel log's
 * {@code fs_read_only} event reaches {@link #deviceReadOnly} instead.
 */
final class MountWatcher {
    private static final Logger log = LoggerFactory.getLogger(MountWatcher.class);
    static final String METRIC = "fs.read_only";

    private final Readings out;
    private Map<String, LinuxMounts.Mount> known = Map.of();

    MountWatcher(Readings out) {
        this.out = out;
    }

    /** Opens the table for poll(2) and takes its current state as the base; returns the descriptor. */
    int open() throws IOException {
        known = read();
        try {
            return Libc.C.open(LinuxMounts.MOUNTINFO.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IOException("cannot poll " + LinuxMounts.MOUNTINFO + ": " + KernelLog.describe(e));
        }
    }

    /** Reads the table again and writes what changed. */
    void changed() {
        Map<String, LinuxMounts.Mount> now;
        try {
            now = read();
        } catch (IOException e) {
            log.debug("cannot read the mount table: {}", e.toString());
            return;
        }
        for (LinuxMounts.Mount m : now.values()) {
            LinuxMounts.Mount before = known.get(m.mountPoint());
            if (before == null || before.readOnly() != m.readOnly()) {
                out.reading(METRIC, m.mountPoint(), m.readOnly() ? 1 : 0);
                if (before != null) {
                    log.info("{} is now {}", m.mountPoint(), m.readOnly() ? "read-only" : "writable");
                }
            }
        }
        for (String gone : known.keySet()) {
            if (!now.containsKey(gone)) {
                log.info("{} was unmounted", gone);
            }
        }
        known = now;
    }

    /** The kernel log says the file system on {@code device} (e.g. "sda1", "loop0") turned read-only. */
    void deviceReadOnly(String device) {
        for (LinuxMounts.Mount m : known.values()) {
            String name = m.device().substring(m.device().lastIndexOf('/') + 1);
            if (name.equals(device) || m.device().equals(device)) {
                out.reading(METRIC, m.mountPoint(), 1);
            }
        }
        changed();
    }

    private static Map<String, LinuxMounts.Mount> read() throws IOException {
        List<LinuxMounts.Mount> mounts = LinuxMounts.parseMountInfo(Files.readAllLines(LinuxMounts.MOUNTINFO));
        Map<String, LinuxMounts.Mount> m = new HashMap<>();
        mounts.forEach(x -> m.put(x.mountPoint(), x));
        return m;
    }
}

package io.firstline.agent.collect;

import java.io.IOException;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/**
 * Space, inodes and the read-only flag of every local file system. The mount
 * list is read every cycle, so mounts added or removed show up at once. On
 * Linux this reads the mount table and calls statvfs directly
 * ({@link LinuxMounts}); elsewhere OSHI lists the local file stores, which
 * already leaves out pseudo and network file systems.
 */
final class FilesystemCollector implements Collector {
    private final FileSystem fs;
    private final LinuxMounts linux;

    FilesystemCollector(HostProbe probe) {
        this.fs = probe.os().getFileSystem();
        this.linux = LinuxMounts.available() ? new LinuxMounts() : null;
    }

    @Override
    public void collect(MetricWriter out) throws IOException {
        if (linux != null) {
            collectLinux(out);
            return;
        }
        for (OSFileStore store : fs.getFileStores(true)) {
            long free = store.getFreeSpace();
            write(out, store.getMount(), store.getType(), store.getTotalSpace(), free, store.getUsableSpace(),
                    store.getTotalInodes(), store.getFreeInodes(), isReadOnly(store.getOptions()));
        }
    }

    private void collectLinux(MetricWriter out) throws IOException {
        for (LinuxMounts.Mount m : linux.mounts()) {
            LinuxMounts.Space s;
            try {
                s = linux.space(m);
            } catch (IOException e) {
                continue; // unmounted between the two reads, or not ours to stat
            }
            write(out, m.mountPoint(), m.type(), s.totalBytes(), s.freeBytes(), s.availableBytes(), s.inodes(), s.freeInodes(),
                    s.readOnly());
        }
    }

    static void write(MetricWriter out, String mount, String type, long total, long free, long usable, long inodes, long freeInodes,
                      boolean readOnly) {
        if (mount == null || mount.isEmpty() || total <= 0) {
            return;
        }
        out.text("fs.type", mount, type);
        out.value("fs.size_bytes", mount, total);
        out.value("fs.free_bytes", mount, usable);
        // Used as df counts it: blocks in use over blocks a user could have.
        long used = total - free;
        out.value("fs.used_ratio", mount, used + usable > 0 ? (double) used / (used + usable) : Double.NaN);
        if (inodes > 0) {
            out.value("fs.inodes_used_ratio", mount, (double) (inodes - freeInodes) / inodes);
        }
        out.value("fs.read_only", mount, readOnly ? 1 : 0);
    }

    static boolean isReadOnly(String options) {
        return LinuxMounts.readOnly(options);
    }
}

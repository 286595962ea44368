package io.firstline.agent.collect;

import java.util.Arrays;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/**
 * Space, inodes and the read-only flag of every local file system. The mount
 * list is read every cycle, so mounts added or removed show up at once; OSHI
 * already leaves out pseudo and network file systems.
 */
final class FilesystemCollector implements Collector {
    private final FileSystem fs;

    FilesystemCollector(HostProbe probe) {
        this.fs = probe.os().getFileSystem();
    }

    @Override
    public void collect(MetricWriter out) {
        for (OSFileStore store : fs.getFileStores(true)) {
            String mount = store.getMount();
            long total = store.getTotalSpace();
            if (mount == null || mount.isEmpty() || total <= 0) {
                continue;
            }
            long usable = store.getUsableSpace();
            long free = store.getFreeSpace();
            out.text("fs.type", mount, store.getType());
            out.value("fs.size_bytes", mount, total);
            out.value("fs.free_bytes", mount, usable);
            // Used as df counts it: blocks in use over blocks a user could have.
            long used = total - free;
            out.value("fs.used_ratio", mount, used + usable > 0 ? (double) used / (used + usable) : Double.NaN);
            long inodes = store.getTotalInodes();
            if (inodes > 0) {
                out.value("fs.inodes_used_ratio", mount, (double) (inodes - store.getFreeInodes()) / inodes);
            }
            out.value("fs.read_only", mount, isReadOnly(store.getOptions()) ? 1 : 0);
        }
    }

    static boolean isReadOnly(String options) {
        return options != null && Arrays.asList(options.split(",")).contains("ro");
    }
}

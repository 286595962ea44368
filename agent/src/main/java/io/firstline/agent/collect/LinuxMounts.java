package io.firstline.agent.collect;

import com.sun.jna.platform.linux.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Linux file systems without OSHI's per-cycle overhead: the mount table from
 * {@code /proc/self/mounts} (one small read, so mounts added or removed show
 * up in the next cycle) and one {@code statvfs} call per mount. Pseudo file
 * systems are skipped, as node_exporter's defaults do, and so are network
 * file systems, whose {@code statvfs} can hang on a dead server.
 */
public final class LinuxMounts {
    static final Path MOUNTS = Path.of("/proc/self/mounts");
    /** The mount table with per-mount and super-block options apart; poll(2)-able for changes. */
    public static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final long ST_RDONLY = 1;

    /** node_exporter's excluded types, plus RAM-backed and network file systems. */
    static final Set<String> SKIPPED_TYPES = Set.of("autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs",
            "devpts", "devtmpfs", "fusectl", "hugetlbfs", "iso9660", "mqueue", "nsfs", "overlay", "proc", "procfs", "pstore",
            "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs", "tracefs", "tmpfs", "ramfs", "efivarfs",
            "nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "ceph", "glusterfs", "fuse.gvfsd-fuse", "fuse.portal");
    private static final List<String> SKIPPED_PREFIXES = List.of("/dev/", "/proc/", "/sys/", "/run/credentials/",
            "/var/lib/docker/", "/var/lib/containers/storage/", "/snap/");

    /** One line of the mount table. */
    public record Mount(String device, String mountPoint, String type, String options) {
        /** Mounted read-only, or the file system made itself read-only after errors ({@link #readOnly(String)}). */
        public boolean readOnly() {
            return LinuxMounts.readOnly(options);
        }
    }

    /**
     * Whether mount options say read-only: {@code ro}, or {@code emergency_ro},
     * which ext4 shows (since Linux 6.x) when it stopped writing after an error
     * without setting the read-only flag that statvfs reports.
     */
    public static boolean readOnly(String options) {
        if (options == null) {
            return false;
        }
        for (String o : options.split(",")) {
            if (o.equals("ro") || o.equals("emergency_ro")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The real, local mounts of a {@code /proc/self/mountinfo} text:
     * "id parent major:minor root mountpoint mount-options [tags] - type source super-options".
     * {@link Mount#options()} holds the mount options and then the super-block options.
     */
    public static List<Mount> parseMountInfo(List<String> lines) {
        Map<String, Mount> byPoint = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.trim().split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (f.length < 7 || dash < 0 || dash + 2 >= f.length) {
                continue;
            }
            String superOptions = dash + 3 < f.length ? f[dash + 3] : "";
            Mount m = new Mount(unescape(f[dash + 2]), unescape(f[4]), f[dash + 1], f[5] + "," + superOptions);
            byPoint.remove(m.mountPoint());
            if (!skipped(m)) {
                byPoint.put(m.mountPoint(), m);
            }
        }
        return new ArrayList<>(byPoint.values());
    }

    /** What statvfs says of one mount. */
    record Space(long totalBytes, long freeBytes, long availableBytes, long inodes, long freeInodes, boolean readOnly) {
    }

    private final LibC.Statvfs buffer = new LibC.Statvfs();

    static boolean available() {
        return Files.isReadable(MOUNTS);
    }

    List<Mount> mounts() throws IOException {
        return parseMounts(Files.readAllLines(MOUNTS));
    }

    Space space(Mount m) throws IOException {
        if (LibC.INSTANCE.statvfs(m.mountPoint(), buffer) != 0) {
            throw new IOException("statvfs failed for " + m.mountPoint());
        }
        long frsize = buffer.f_frsize.longValue();
        return new Space(buffer.f_blocks.longValue() * frsize, buffer.f_bfree.longValue() * frsize,
                buffer.f_bavail.longValue() * frsize, buffer.f_files.longValue(), buffer.f_ffree.longValue(),
                (buffer.f_flag.longValue() & ST_RDONLY) != 0 || FilesystemCollector.isReadOnly(m.options()));
    }

    /**
     * The real, local mounts of a {@code /proc/self/mounts} text: "device
     * mountpoint type options 0 0", with spaces in names escaped as octal
     * ({@code \040}). A mount point mounted twice keeps its last (visible) entry.
     */
    static List<Mount> parseMounts(List<String> lines) {
        Map<String, Mount> byPoint = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            Mount m = new Mount(unescape(f[0]), unescape(f[1]), f[2], f[3]);
            if (skipped(m)) {
                byPoint.remove(m.mountPoint());
                continue;
            }
            byPoint.remove(m.mountPoint());
            byPoint.put(m.mountPoint(), m);
        }
        return new ArrayList<>(byPoint.values());
    }

    static boolean skipped(Mount m) {
        if (SKIPPED_TYPES.contains(m.type())) {
            return true;
        }
        String p = m.mountPoint().endsWith("/") ? m.mountPoint() : m.mountPoint() + "/";
        for (String prefix : SKIPPED_PREFIXES) {
            if (p.startsWith(prefix) || p.equals(prefix.substring(0, prefix.length() - 1) + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Decodes the kernel's octal escapes ({@code \040} space, {@code \011} tab, {@code \012} newline, {@code \134} backslash). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}

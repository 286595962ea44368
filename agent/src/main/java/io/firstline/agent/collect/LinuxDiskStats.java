package io.firstline.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Linux block device counters from {@code /proc/diskstats}: one small read
 * per cycle instead of OSHI's udev walk. Only whole disks are reported (a
 * name under {@code /sys/block}), not their partitions.
 */
final class LinuxDiskStats {
    static final Path DISKSTATS = Path.of("/proc/diskstats");
    static final Path SYS_BLOCK = Path.of("/sys/block");
    private static final long SECTOR = 512;
    private static final String FILE = "/proc/diskstats";

    /** One device's counters: bytes and operations so far, I/Os in flight, ms spent doing I/O. */
    record Device(String name, long readBytes, long writeBytes, long reads, long writes, long inFlight, long busyMillis) {
    }

    static boolean available() {
        return Files.isReadable(DISKSTATS) && Files.isDirectory(SYS_BLOCK);
    }

    List<Device> read() throws IOException {
        Set<String> disks;
        try (var names = Files.list(SYS_BLOCK)) {
            disks = Set.copyOf(names.map(p -> p.getFileName().toString()).toList());
        }
        return parse(Files.readAllLines(DISKSTATS), disks);
    }

    /**
     * Parses {@code /proc/diskstats}: "major minor name reads merged sectors
     * ms writes merged sectors ms in_flight io_ms weighted_ms ...", keeping
     * the devices in {@code disks} that are not loop, RAM or zram devices.
     */
    static List<Device> parse(List<String> lines, Set<String> disks) {
        List<Device> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 14) {
                continue;
            }
            String name = f[2];
            if (!disks.contains(name) || DiskCollector.isPseudo(name)) {
                continue;
            }
            out.add(new Device(name, ProcFormat.times(counter(f[5]), SECTOR, FILE), ProcFormat.times(counter(f[9]), SECTOR, FILE),
                    counter(f[3]), counter(f[7]), counter(f[11]), counter(f[12])));
        }
        return out;
    }

    private static long counter(String field) {
        return ProcFormat.counter(field, FILE);
    }
}

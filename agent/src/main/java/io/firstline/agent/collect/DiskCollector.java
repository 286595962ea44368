package io.firstline.agent.collect;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import oshi.hardware.HWDiskStore;

/**
 * Per block device: bytes and operations per second, queue length and busy
 * share. On Linux from {@code /proc/diskstats} ({@link LinuxDiskStats});
 * elsewhere OSHI's disk objects are updated in place each cycle and listed
 * again once a minute (every sixth cycle at the default interval) to see
 * devices come and go. Loop, RAM and zram devices are left out: they are not
 * disks a user could replace.
 */
final class DiskCollector implements Collector {
    private static final int RELIST_EVERY = 6;

    private final HostProbe probe;
    private final LinuxDiskStats linux;
    private final Rates rates = new Rates();
    private List<HWDiskStore> disks;
    private int cycle;

    DiskCollector(HostProbe probe) {
        this.probe = probe;
        this.linux = LinuxDiskStats.available() ? new LinuxDiskStats() : null;
    }

    @Override
    public void collect(MetricWriter out) throws Exception {
        Set<String> seen = new HashSet<>();
        if (linux != null) {
            long t = System.nanoTime();
            for (LinuxDiskStats.Device d : linux.read()) {
                write(out, seen, d.name(), t, d.readBytes(), d.writeBytes(), d.reads(), d.writes(), d.inFlight(), d.busyMillis());
            }
        } else {
            if (disks == null || cycle++ % RELIST_EVERY == 0) {
                disks = probe.hardware().getDiskStores().stream().filter(d -> !isPseudo(d.getName())).toList();
            } else {
                disks.forEach(HWDiskStore::updateAttributes);
            }
            for (HWDiskStore d : disks) {
                write(out, seen, shortName(d.getName()), d.getTimeStamp() * 1_000_000L, d.getReadBytes(), d.getWriteBytes(),
                        d.getReads(), d.getWrites(), d.getCurrentQueueLength(), d.getTransferTime());
            }
        }
        rates.retainOnly(seen);
    }

    private void write(MetricWriter out, Set<String> seen, String name, long t, long readBytes, long writeBytes, long reads,
                       long writes, long queue, long busyMillis) {
        out.value("disk.read_bytes_per_second", name, rate(seen, name + "/rb", readBytes, t));
        out.value("disk.write_bytes_per_second", name, rate(seen, name + "/wb", writeBytes, t));
        out.value("disk.reads_per_second", name, rate(seen, name + "/r", reads, t));
        out.value("disk.writes_per_second", name, rate(seen, name + "/w", writes, t));
        out.value("disk.queue_length", name, queue);
        // Milliseconds busy per second of wall time, as iostat's %util.
        double busyMsPerSecond = rate(seen, name + "/busy", busyMillis, t);
        out.value("disk.busy_ratio", name, Math.min(1, busyMsPerSecond / 1000));
    }

    private double rate(Set<String> seen, String key, long counter, long nanos) {
        seen.add(key);
        return rates.perSecond(key, counter, nanos);
    }

    /** "/dev/sda" and "\\.\PHYSICALDRIVE0" become "sda" and "PHYSICALDRIVE0". */
    static String shortName(String name) {
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return slash >= 0 ? name.substring(slash + 1) : name;
    }

    static boolean isPseudo(String name) {
        String n = shortName(name);
        return n.startsWith("loop") || n.startsWith("ram") || n.startsWith("zram") || n.startsWith("fd");
    }
}

package io.firstline.simulator;

import io.firstline.agent.collect.Snapshot;
import io.firstline.agent.collect.Snapshot.Reading;
import io.firstline.agent.collect.Snapshot.Run;
import io.firstline.agent.collect.Snapshot.TextReading;
import io.firstline.agent.collect.InventoryReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What one simulated machine reports: about forty values in the metric names
 * and collector order of the real agent (CPU, memory, two file systems, a
 * disk, a network interface, connectivity, processes, uptime), wandering
 * around levels of its own that stay clear of the default rules' thresholds.
 * Series come and go: now and then a USB stick is mounted for a while (five
 * new series, then gone), and a fault the simulator injects is a file system
 * that turns read-only, reported until some time after it recovered. Not
 * thread-safe: one simulated agent uses it on the collect thread.
 */
final class SimulatedHost {
    /** The collectors a simulated agent announces in its Hello, in the order its snapshots run them. */
    static final List<String> COLLECTORS = List.of("cpu", "memory", "filesystem", "disk", "network", "connectivity",
            "processes", "os");
    /** On average one stick per machine per this many samples (about once an hour at a 10 s interval). */
    static final int USB_EVERY_SAMPLES = 360;
    static final int USB_STAYS_SAMPLES = 30;
    /** How long a recovered file system is still reported: past the default rule's 30 s recovery hold. */
    static final long FAULT_TAIL_MS = 45_000;
    private static final long GIB = 1L << 30;

    private final SplittableRandom random;
    private final long bootMs;
    private final double cpuLevel;
    private final double memLevel;
    private final long memTotal;
    private final double rootUsed;
    private final double homeUsed;
    private double cpu;
    private double mem;
    private int usbLeft;
    private int usbCount;
    private final Map<String, long[]> faults = new LinkedHashMap<>();

    SimulatedHost(long seed, long bootMs) {
        this.random = new SplittableRandom(seed);
        this.bootMs = bootMs;
        this.cpuLevel = 0.05 + 0.4 * random.nextDouble();
        this.memLevel = 0.3 + 0.4 * random.nextDouble();
        this.memTotal = (4L + 4 * random.nextInt(8)) * GIB;
        this.rootUsed = 0.2 + 0.5 * random.nextDouble();
        this.homeUsed = 0.1 + 0.6 * random.nextDouble();
        this.cpu = cpuLevel;
        this.mem = memLevel;
    }

    /** A file system {@code mount} is read-only from {@code fromMs} until {@code untilMs}, then writable again. */
    void fault(String mount, long fromMs, long untilMs) {
        faults.put(mount, new long[] {fromMs, untilMs});
    }

    /** Whether {@code mount} is reported read-only at {@code nowMs}. */
    boolean readOnly(String mount, long nowMs) {
        long[] f = faults.get(mount);
        return f != null && nowMs >= f[0] && nowMs < f[1];
    }

    /** Inventory a simulated machine sends on every connection: a few dozen items, as a small desktop has. */
    List<InventoryReader.Item> inventory(String hostname) {
        List<InventoryReader.Item> items = new ArrayList<>();
        items.add(new InventoryReader.Item("agent", "firstline-agent", Map.of("version", "simulator")));
        items.add(new InventoryReader.Item("os", "Debian GNU/Linux", Map.of("version", "12 (bookworm)", "hostname", hostname)));
        items.add(new InventoryReader.Item("cpu", "Simulated CPU", Map.of("cores", "4")));
        items.add(new InventoryReader.Item("memory", "RAM", Map.of("bytes", Long.toString(memTotal))));
        items.add(new InventoryReader.Item("disk", "vda", Map.of("model", "Simulated disk", "bytes", Long.toString(256 * GIB))));
        items.add(new InventoryReader.Item("nic", "eth0", Map.of("mac", "02:00:00:00:00:01")));
        for (int i = 0; i < 30; i++) {
            items.add(new InventoryReader.Item("app", "package-" + i, Map.of("version", "1." + i)));
        }
        return items;
    }

    /** One collection cycle at {@code nowMs}. */
    Snapshot next(long nowMs) {
        List<Reading> v = new ArrayList<>(48);
        List<TextReading> t = new ArrayList<>(4);
        List<Run> runs = new ArrayList<>(COLLECTORS.size());
        cpu = wander(cpu, cpuLevel, 0.05, 0.01, 0.9);
        double user = cpu * 0.7;
        double system = cpu * 0.25;
        int at = v.size();
        v.add(new Reading("cpu.usage_ratio", "", cpu));
        v.add(new Reading("cpu.user_ratio", "", user));
        v.add(new Reading("cpu.system_ratio", "", system));
        v.add(new Reading("cpu.iowait_ratio", "", cpu * 0.04));
        v.add(new Reading("cpu.steal_ratio", "", 0));
        v.add(new Reading("cpu.load1", "", cpu * 4 + random.nextDouble() * 0.3));
        v.add(new Reading("cpu.load5", "", cpu * 4));
        v.add(new Reading("cpu.load15", "", cpuLevel * 4));
        v.add(new Reading("cpu.context_switches_per_second", "", 1000 + 4000 * cpu + random.nextInt(200)));
        runs.add(run("cpu", v.size() - at, 0));

        at = v.size();
        mem = wander(mem, memLevel, 0.01, 0.05, 0.9);
        v.add(new Reading("memory.total_bytes", "", memTotal));
        v.add(new Reading("memory.available_bytes", "", Math.rint(memTotal * (1 - mem))));
        v.add(new Reading("memory.used_bytes", "", Math.rint(memTotal * mem)));
        v.add(new Reading("memory.used_ratio", "", mem));
        v.add(new Reading("memory.swap_used_bytes", "", 0));
        v.add(new Reading("memory.swap_in_pages_per_second", "", 0));
        runs.add(run("memory", v.size() - at, 0));

        at = v.size();
        int textsAt = t.size();
        filesystem(v, t, "/", 64 * GIB, rootUsed, false);
        filesystem(v, t, "/home", 192 * GIB, homeUsed, false);
        if (usbLeft == 0 && random.nextInt(USB_EVERY_SAMPLES) == 0) {
            usbLeft = USB_STAYS_SAMPLES;
            usbCount++;
        }
        if (usbLeft > 0) {
            usbLeft--;
            filesystem(v, t, "/media/usb" + usbCount, 32 * GIB, 0.5, false);
        }
        faults.entrySet().removeIf(f -> nowMs >= f.getValue()[1] + FAULT_TAIL_MS);
        for (String mount : faults.keySet()) {
            filesystem(v, t, mount, 16 * GIB, 0.4, readOnly(mount, nowMs));
        }
        runs.add(run("filesystem", v.size() - at, t.size() - textsAt));

        at = v.size();
        double io = random.nextDouble();
        v.add(new Reading("disk.read_bytes_per_second", "vda", Math.rint(io * 2_000_000)));
        v.add(new Reading("disk.write_bytes_per_second", "vda", Math.rint(io * 500_000)));
        v.add(new Reading("disk.reads_per_second", "vda", Math.rint(io * 100)));
        v.add(new Reading("disk.writes_per_second", "vda", Math.rint(io * 30)));
        runs.add(run("disk", v.size() - at, 0));

        at = v.size();
        double net = random.nextDouble();
        v.add(new Reading("net.up", "eth0", 1));
        v.add(new Reading("net.rx_bytes_per_second", "eth0", Math.rint(net * 100_000)));
        v.add(new Reading("net.tx_bytes_per_second", "eth0", Math.rint(net * 20_000)));
        v.add(new Reading("net.errors_per_second", "eth0", 0));
        v.add(new Reading("net.drops_per_second", "eth0", 0));
        runs.add(run("network", v.size() - at, 0));

        at = v.size();
        v.add(new Reading("connectivity.has_gateway", "", 1));
        v.add(new Reading("connectivity.gateway_reachable", "", 1));
        runs.add(run("connectivity", v.size() - at, 0));

        at = v.size();
        v.add(new Reading("processes.count", "", 180 + random.nextInt(20)));
        v.add(new Reading("processes.threads", "", 600 + random.nextInt(60)));
        v.add(new Reading("processes.zombies", "", 0));
        runs.add(run("processes", v.size() - at, 0));

        at = v.size();
        v.add(new Reading("os.uptime_seconds", "", Math.floor((nowMs - bootMs) / 1000.0)));
        runs.add(run("os", v.size() - at, 0));
        return new Snapshot(nowMs, v, t, runs);
    }

    private static void filesystem(List<Reading> v, List<TextReading> t, String mount, long size, double used, boolean readOnly) {
        v.add(new Reading("fs.size_bytes", mount, size));
        v.add(new Reading("fs.free_bytes", mount, Math.rint(size * (1 - used))));
        v.add(new Reading("fs.used_ratio", mount, used));
        v.add(new Reading("fs.inodes_used_ratio", mount, used / 10));
        v.add(new Reading("fs.read_only", mount, readOnly ? 1 : 0));
        t.add(new TextReading("fs.type", mount, "ext4"));
    }

    private Run run(String collector, int values, int texts) {
        return new Run(collector, 200 + random.nextInt(2_000), Snapshot.Outcome.OK, null, values, texts);
    }

    /** A step of a random walk pulled back towards {@code level}, kept within [lo, hi]. */
    private double wander(double x, double level, double step, double lo, double hi) {
        double next = x + (level - x) * 0.2 + (random.nextDouble() - 0.5) * 2 * step;
        return Math.max(lo, Math.min(hi, next));
    }
}

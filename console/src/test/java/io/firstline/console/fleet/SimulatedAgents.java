package io.firstline.console.fleet;

import io.firstline.wire.KeyValues;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Inventory;
import io.firstline.proto.InventoryItem;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Made-up agents for benchmarks: the Hello, inventory and samples a real
 * agent of a typical machine sends (about 40 values: CPU, memory, three file
 * systems, two interfaces), fed straight into a {@link FleetState}.
 */
public final class SimulatedAgents {
    private static final String[] SITES = {"berlin", "paris", "madrid", "oslo", "rome", "vienna"};
    private static final String[] OSES = {"Ubuntu 24.04", "Debian 12", "Windows 11", "macOS 15", "RHEL 9"};
    private static final List<SeriesDef> SERIES = series();

    private SimulatedAgents() {
    }

    private static List<SeriesDef> series() {
        List<SeriesDef> s = new ArrayList<>();
        String[] host = {"cpu.usage_ratio", "cpu.user_ratio", "cpu.system_ratio", "cpu.iowait_ratio", "cpu.steal_ratio",
            "cpu.idle_ratio", "cpu.logical_count", "memory.used_ratio", "memory.used_bytes", "memory.total_bytes",
            "memory.available_bytes", "memory.swap_total_bytes", "memory.swap_used_bytes"};
        for (String m : host) {
            s.add(SeriesDef.newBuilder().setId(s.size() + 1).setMetric(m).build());
        }
        for (String mount : new String[] {"/", "/home", "/var"}) {
            for (String m : new String[] {"fs.used_ratio", "fs.free_bytes", "fs.size_bytes", "fs.inodes_used_ratio", "fs.read_only"}) {
                s.add(SeriesDef.newBuilder().setId(s.size() + 1).setMetric(m).setResource(mount).build());
            }
        }
        for (String nic : new String[] {"eth0", "wlan0"}) {
            for (String m : new String[] {"net.rx_bytes_per_second", "net.tx_bytes_per_second", "net.rx_packets_per_second",
                "net.tx_packets_per_second", "net.errors_per_second", "net.drops_per_second", "net.up"}) {
                s.add(SeriesDef.newBuilder().setId(s.size() + 1).setMetric(m).setResource(nic).build());
            }
        }
        return List.copyOf(s);
    }

    public static String id(int i) {
        return String.format("sim-%05d", i);
    }

    public static Hello hello(int i) {
        String[] os = OSES[i % OSES.length].split(" ");
        return Hello.newBuilder().setAgentId(id(i)).setBootEpoch(1).setAgentVersion("0.1.0").addCollectors("cpu")
                .setHost(HostFacts.newBuilder().setHostname(String.format("host-%05d.%s.example", i, SITES[i % SITES.length]))
                        .setOsFamily(os[0]).setOsVersion(os[1]).setArch("x86_64").setLogicalCpus(8).setMemoryBytes(16L << 30))
                .build();
    }

    /** The site simulated agent {@code i} enrolled for (the console learns it from enrollment at Hello). */
    public static String site(int i) {
        return SITES[i % SITES.length];
    }

    public static Inventory inventory(int i) {
        return Inventory.newBuilder().setDigest("d" + i).addItems(InventoryItem.newBuilder().setKind("agent").setName("firstline")
                .addAttributes(KeyValues.entry("version", "0.1.0"))).build();
    }

    /** A sample at {@code timestampMs}; the first one of a boot also defines the series. */
    public static Sample sample(long timestampMs, boolean first, SplittableRandom random) {
        Sample.Builder b = Sample.newBuilder().setTimestampMs(timestampMs);
        if (first) {
            b.addAllNewSeries(SERIES);
        }
        for (SeriesDef d : SERIES) {
            b.addSeries(d.getId());
            b.addValues(value(d.getMetric(), random));
        }
        return b.build();
    }

    private static double value(String metric, SplittableRandom random) {
        if (metric.endsWith("_ratio")) {
            return random.nextDouble();
        }
        if (metric.endsWith("bytes_per_second")) {
            return random.nextDouble() * 5e6;
        }
        if (metric.endsWith("packets_per_second")) {
            return random.nextDouble() * 5e3;
        }
        return switch (metric) {
            case "net.up" -> 1;
            case "net.errors_per_second", "net.drops_per_second", "fs.read_only" -> 0;
            case "cpu.logical_count" -> 8;
            default -> random.nextDouble() * 5e11;
        };
    }

    public static int seriesCount() {
        return SERIES.size();
    }
}

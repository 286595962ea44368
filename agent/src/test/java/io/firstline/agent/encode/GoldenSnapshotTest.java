package io.firstline.agent.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.TextFormat;
import io.firstline.agent.collect.CollectorRunner;
import io.firstline.agent.collect.InventoryReader.Item;
import io.firstline.agent.collect.MetricWriter;
import io.firstline.agent.collect.Registration;
import io.firstline.agent.collect.Snapshot;
import io.firstline.proto.HostFacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole snapshot from a fake source (every collector's metrics, one failed
 * collector, one unsupported) through the runner, the JSON that
 * {@code collect --once --json} prints, the inventory and the wire Sample,
 * compared with {@code src/test/resources/golden/snapshot.txt}. After an
 * intended change, rewrite the file with
 * {@code ./mvnw -B -pl agent -am verify -Dfirstline.updateGolden=true} and
 * review the diff.
 */
class GoldenSnapshotTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/snapshot.txt");

    private static Registration fake(String name, Duration every, FakeSource source) {
        return new Registration(name, true, every, p -> source::write);
    }

    @FunctionalInterface
    interface FakeSource {
        void write(MetricWriter out) throws Exception;
    }

    static List<Registration> fakeHost() {
        return List.of(
                fake("cpu", Duration.ZERO, out -> {
                    out.value("cpu.usage_ratio", 0.123456);
                    out.value("cpu.user_ratio", 0.1);
                    out.value("cpu.system_ratio", 0.02);
                    out.value("cpu.iowait_ratio", 0.003456);
                    out.value("cpu.steal_ratio", 0);
                    out.value("cpu.idle_ratio", 0.873);
                    out.value("cpu.core_usage_ratio", "0", 0.2);
                    out.value("cpu.core_usage_ratio", "1", 0.04);
                    out.value("cpu.load1", 0.52);
                    out.value("cpu.load5", 0.48);
                    out.value("cpu.load15", 0.4);
                    out.value("cpu.context_switches_per_second", 2923.917);
                    out.value("cpu.interrupts_per_second", 936.5);
                }),
                fake("memory", Duration.ZERO, out -> {
                    out.value("memory.total_bytes", 16_658_300_928L);
                    out.value("memory.available_bytes", 9_123_456_000L);
                    out.value("memory.used_bytes", 7_534_844_928L);
                    out.value("memory.used_ratio", 0.45232);
                    out.value("memory.swap_total_bytes", 2_147_479_552L);
                    out.value("memory.swap_used_bytes", 0);
                    out.value("memory.swap_in_pages_per_second", 0);
                    out.value("memory.swap_out_pages_per_second", 1.3);
                }),
                fake("filesystem", Duration.ZERO, out -> {
                    out.text("fs.type", "/", "ext4");
                    out.value("fs.size_bytes", "/", 502_468_108_288L);
                    out.value("fs.free_bytes", "/", 120_000_000_000L);
                    out.value("fs.used_ratio", "/", 0.7472);
                    out.value("fs.inodes_used_ratio", "/", 0.0612);
                    out.value("fs.read_only", "/", 0);
                }),
                fake("disk", Duration.ZERO, out -> {
                    out.value("disk.read_bytes_per_second", "nvme0n1", 40960.4);
                    out.value("disk.write_bytes_per_second", "nvme0n1", 1_228_800);
                    out.value("disk.reads_per_second", "nvme0n1", 10);
                    out.value("disk.writes_per_second", "nvme0n1", 75.25);
                    out.value("disk.queue_length", "nvme0n1", 1);
                    out.value("disk.busy_ratio", "nvme0n1", 0.031);
                }),
                fake("network", Duration.ZERO, out -> {
                    out.value("net.up", "wlp2s0", 1);
                    out.value("net.rx_bytes_per_second", "wlp2s0", 51234.2);
                    out.value("net.tx_bytes_per_second", "wlp2s0", 8123.9);
                    out.value("net.rx_packets_per_second", "wlp2s0", 61.3);
                    out.value("net.tx_packets_per_second", "wlp2s0", 40.7);
                    out.value("net.errors_per_second", "wlp2s0", 0);
                    out.value("net.drops_per_second", "wlp2s0", 0.1);
                    out.value("net.speed_bits_per_second", "wlp2s0", 866_700_000);
                    out.value("net.mtu_bytes", "wlp2s0", 1500);
                    out.text("net.addresses", "wlp2s0", "192.168.2.7/24 fe80::1c2f:2b3a:4d5e:6f70/64");
                    out.value("tcp.established", 23);
                    out.value("tcp.retransmits_per_second", 0.2);
                    out.value("tcp.failed_connects_per_second", 0);
                }),
                fake("connectivity", Duration.ofMinutes(1), out -> {
                    out.value("connectivity.has_gateway", 1);
                    out.value("connectivity.gateway_reachable", 1);
                    out.value("connectivity.dns_ok", "example.com", 1);
                    out.value("connectivity.dns_resolve_ms", "example.com", 12.34);
                    out.value("connectivity.console_reachable", "console.example:7443", 1);
                    out.value("connectivity.console_connect_ms", "console.example:7443", 3.21);
                }),
                fake("processes", Duration.ofSeconds(30), out -> {
                    out.value("processes.count", 312);
                    out.value("processes.threads", 1204);
                    out.value("processes.zombies", 1);
                    out.text("process.name", "cpu1", "firefox");
                    out.text("process.user", "cpu1", "alice");
                    out.value("process.pid", "cpu1", 2931);
                    out.value("process.cpu_ratio", "cpu1", 0.0712);
                    out.value("process.rss_bytes", "cpu1", 813_000_000);
                }),
                fake("sensors", Duration.ofMinutes(1), out -> {
                    throw new UnsupportedOperationException("the platform reports no temperature, fan or voltage");
                }),
                fake("power", Duration.ofMinutes(1), out -> {
                    out.value("power.batteries", 1);
                    out.value("power.charge_ratio", "BAT0", 0.83);
                    out.value("power.charging", "BAT0", 0);
                    out.value("power.on_line", "BAT0", 0);
                    out.value("power.time_remaining_seconds", "BAT0", 12_600);
                    out.value("power.wear_ratio", "BAT0", 0.12);
                }),
                fake("os", Duration.ofMinutes(1), out -> {
                    out.value("os.uptime_seconds", 86_400);
                    out.value("os.boot_time_seconds", 1_795_900_000);
                    out.value("os.sessions", 2);
                    out.text("os.users", "", "alice");
                }),
                fake("services", Duration.ofMinutes(5), out -> {
                    out.value("services.failed", 1);
                    throw new IllegalStateException("systemctl exited 1: Failed to connect to bus");
                }),
                fake("time", Duration.ofMinutes(1), out -> {
                    out.value("time.measured", 1);
                    out.value("time.offset_ms", -42);
                }));
    }

    static List<Item> fakeInventory() {
        return List.of(
                new Item("agent", "firstline-agent", Map.of("version", "0.1.0", "jvm", "OpenJDK 64-Bit Server VM 17.0.15")),
                new Item("cpu", "cpu", Map.of("model", "Intel(R) Core(TM) i7-1165G7 @ 2.80GHz", "sockets", "1", "cores", "4",
                        "threads", "8")),
                new Item("os", "os", Map.of("family", "Ubuntu", "version", "24.04", "kernel", "6.8.0-45-generic", "arch", "amd64")));
    }

    @Test
    void wholeSnapshotMatchesTheGoldenFile() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC);
        CollectorRunner runner = new CollectorRunner(fakeHost(), null, clock);
        Snapshot raw = runner.collect();
        // Durations are measured, so the only part that varies; fix them.
        Snapshot s = new Snapshot(raw.timestampMs(), raw.values(), raw.texts(), raw.runs().stream()
                .map(r -> new Snapshot.Run(r.collector(), 100, r.outcome(), r.error(), r.valueCount(), r.textCount())).toList());
        HostFacts host = HostFacts.newBuilder().setHostname("laptop-42").setOsFamily("Ubuntu").setOsVersion("24.04 (noble)")
                .setArch("amd64").setLogicalCpus(8).setMemoryBytes(16_658_300_928L).build();
        SampleEncoder encoder = new SampleEncoder(new SeriesDictionary(), runner.names());
        String actual = "# collect --once --json\n" + SnapshotJson.write(host, s, fakeInventory()) + "\n"
                + "# the Sample on the wire (" + encoder.encode(s).getSerializedSize() + " bytes with its series definitions)\n"
                + TextFormat.printer().printToString(new SampleEncoder(new SeriesDictionary(), runner.names()).encode(s));
        if (Boolean.getBoolean("firstline.updateGolden")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, actual);
        }
        assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), actual,
                "snapshot differs from " + GOLDEN + "; if intended, rerun with -Dfirstline.updateGolden=true and review the diff");
    }
}

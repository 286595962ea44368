package io.firstline.agent.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.collect.InventoryReader;
import io.firstline.agent.collect.Snapshot;
import io.firstline.agent.collect.Snapshot.Outcome;
import io.firstline.agent.collect.Snapshot.Reading;
import io.firstline.agent.collect.Snapshot.Run;
import io.firstline.agent.collect.Snapshot.TextReading;
import io.firstline.proto.HostFacts;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code collect --once}'s table: human units, one row per thing, aligned columns. */
class SnapshotTableTest {
    private static final HostFacts HOST = HostFacts.newBuilder().setHostname("vm").setOsFamily("Debian GNU/Linux")
            .setOsVersion("12").setArch("amd64").setLogicalCpus(2).setMemoryBytes(24L << 30).build();

    private static String render() {
        Snapshot s = new Snapshot(1_795_969_999_000L, List.of(
                new Reading("cpu.usage_ratio", "", 0.931),
                new Reading("os.uptime_seconds", "", 275),
                new Reading("os.boot_time_seconds", "", 1_795_969_699),
                new Reading("net.up", "eth0", 1),
                new Reading("net.rx_bytes_per_second", "eth0", 223_755.5),
                new Reading("net.tx_bytes_per_second", "eth0", 0),
                new Reading("net.mtu_bytes", "eth0", 1400),
                new Reading("net.speed_bits_per_second", "eth0", 1e9),
                new Reading("net.up", "wlan0", 0),
                new Reading("net.rx_bytes_per_second", "wlan0", 12_000_000),
                new Reading("net.mtu_bytes", "wlan0", 9000),
                new Reading("cpu.core_usage_ratio", "0", 0.5),
                new Reading("cpu.core_user_ratio", "0", 0.25),
                new Reading("process.pid", "cpu1", 11059),
                new Reading("process.cpu_ratio", "cpu1", 0.644),
                new Reading("process.rss_bytes", "cpu1", 101.7 * (1 << 20)),
                new Reading("process.pid", "cpu2", 5),
                new Reading("process.cpu_ratio", "cpu2", 0.01),
                new Reading("process.rss_bytes", "cpu2", 4096)),
                List.of(new TextReading("net.addresses", "eth0", "192.0.2.2/24 fd00::2/64"),
                        new TextReading("process.name", "cpu1", "java"),
                        new TextReading("process.user", "cpu1", "root"),
                        new TextReading("process.name", "cpu2", "kworker/0:1-events"),
                        new TextReading("process.user", "cpu2", "root"),
                        new TextReading("os.users", "", "erin sam")),
                List.of(new Run("cpu", 1200, Outcome.OK, ""),
                        new Run("services", 0, Outcome.UNSUPPORTED, "systemd is not running on this host")));
        List<InventoryReader.Item> inventory = List.of(new InventoryReader.Item("nic", "eth0", Map.of("mtu", "1400")),
                new InventoryReader.Item("app", "bash", Map.of()), new InventoryReader.Item("app", "zsh", Map.of()));
        return SnapshotTable.render(HOST, s, inventory, ZoneId.of("UTC"));
    }

    private static String line(String text, String start) {
        return Arrays.stream(text.split("\\R")).filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in\n" + text));
    }

    @Test
    void ratesSizesTimesAndFlagsAreInHumanUnits() {
        String t = render();
        String eth0 = line(t, "eth0");
        assertTrue(eth0.contains("218.5 KiB/s"), eth0);
        assertTrue(eth0.contains("0 B/s"), eth0);
        assertTrue(eth0.contains("1 Gbit/s"), eth0);
        assertTrue(eth0.contains(" yes "), eth0);
        assertTrue(eth0.contains(" 1400 "), "an MTU is a plain number: " + eth0);
        assertTrue(!t.contains("1.4 KiB"), t);
        assertTrue(line(t, "wlan0").contains("11.4 MiB/s"), t);
        assertTrue(line(t, "os.boot_time_seconds").endsWith("2026-11-29 16:28:19 UTC"), t);
        assertTrue(line(t, "os.uptime_seconds").endsWith("4m 35s"), t);
        assertTrue(line(t, "cpu.usage_ratio").endsWith("93.1 %"), t);
        assertTrue(!t.contains("1795969699"), "no epoch numbers: " + t);
    }

    @Test
    void oneRowPerThingWithItsTextsOnItsRow() {
        String t = render();
        String cpu1 = line(t, "cpu1");
        assertTrue(cpu1.contains("11059") && cpu1.contains("64.4 %") && cpu1.contains("101.7 MiB") && cpu1.contains("java")
                && cpu1.contains("root"), cpu1);
        String cpu2 = line(t, "cpu2");
        assertTrue(cpu2.contains("kworker/0:1-events") && cpu2.contains("4.0 KiB"), cpu2);
        assertTrue(line(t, "eth0").endsWith("192.0.2.2/24 fd00::2/64"), "addresses on their interface's row");
        assertEquals("PROCESS    PID     CPU        RSS  NAME                USER", line(t, "PROCESS"));
        // Per-core columns drop the shared "core_".
        assertTrue(line(t, "CPU ").matches("CPU +USAGE +USER"), line(t, "CPU "));
        assertTrue(line(t, "services").endsWith("systemd is not running on this host"), t);
        assertTrue(line(t, "app").contains("2 installed"), t);
    }

    @Test
    void columnsAreAligned() {
        String t = render();
        String header = line(t, "NET");
        String eth0 = line(t, "eth0");
        String wlan0 = line(t, "wlan0");
        // Numbers are right-aligned: each column ends where its heading ends.
        int mtuEnd = header.indexOf("MTU") + "MTU".length();
        assertEquals(" 1400", eth0.substring(mtuEnd - 5, mtuEnd), eth0);
        assertEquals(" 9000", wlan0.substring(mtuEnd - 5, mtuEnd), wlan0);
        int rxEnd = header.indexOf(" RX") + " RX".length();
        assertTrue(eth0.substring(0, rxEnd).endsWith("218.5 KiB/s") && wlan0.substring(0, rxEnd).endsWith("11.4 MiB/s"), t);
        // Text columns start where their heading starts, addresses too (several per cell: text, not a number).
        int addresses = header.indexOf("ADDRESSES");
        assertEquals("192.0.2.2/24", eth0.substring(addresses, addresses + "192.0.2.2/24".length()));
        // Text columns start where their heading starts.
        int name = line(t, "PROCESS").indexOf("NAME");
        assertEquals("java", line(t, "cpu1").substring(name, name + 4));
        assertEquals("kworker", line(t, "cpu2").substring(name, name + 7));
        int outcome = line(t, "COLLECTOR").indexOf("OUTCOME");
        assertEquals("unsupported", line(t, "services").substring(outcome, outcome + "unsupported".length()));
    }
}

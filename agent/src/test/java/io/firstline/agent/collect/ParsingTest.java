package io.firstline.agent.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parsers behind the collectors, fed text captured from real machines. */
class ParsingTest {

    @Test
    void tcpCountersFromProcNetSnmp() {
        TcpCounters t = TcpCounters.parseSnmp(Fixtures.lines("proc-net-snmp.txt"));
        assertEquals(new TcpCounters(23, 1187, 1622840, 3121), t);
    }

    @Test
    void snmpWithoutTcpIsAnErrorNotZeroes() {
        assertThrows(IllegalStateException.class, () -> TcpCounters.parseSnmp(List.of("Ip: Forwarding", "Ip: 1")));
    }

    @Test
    void defaultGatewayFromProcNetRouteIsLittleEndian() {
        assertEquals(Optional.of("192.168.2.1"), Gateway.parseRoute(Fixtures.lines("proc-net-route.txt")));
        assertEquals(Optional.empty(), Gateway.parseRoute(Fixtures.lines("proc-net-route.txt").subList(0, 2)));
        assertEquals(Optional.empty(), Gateway.parseRoute(List.of()));
    }

    @Test
    void gatewayIsReachableOnlyWithACompleteNeighbourEntry() {
        List<String> arp = Fixtures.lines("proc-net-arp.txt");
        assertTrue(Gateway.parseArpComplete(arp, "192.168.2.1"));
        assertFalse(Gateway.parseArpComplete(arp, "192.168.2.7"), "incomplete entry");
        assertFalse(Gateway.parseArpComplete(arp, "10.0.0.1"), "no entry");
    }

    @Test
    void procPidStatWithSpacesAndParenthesesInTheName() {
        ProcessTable.Proc p = LinuxProcessTable.parseStat(Fixtures.text("proc-pid-stat.txt"), 4096);
        assertEquals(2931, p.pid());
        assertEquals("Web Content (2)", p.name());
        assertEquals(41235 + 9120, p.cpuTime());
        assertEquals(31, p.threads());
        assertEquals(76544L * 4096, p.rssBytes());
        assertFalse(p.zombie());
        ProcessTable.Proc z = LinuxProcessTable.parseStat("77 (defunct) Z 1 77 77 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 5 0 0 1", 4096);
        assertTrue(z.zombie());
        assertEquals(7, z.cpuTime());
        assertNull(LinuxProcessTable.parseStat("garbage", 4096));
    }

    @Test
    void totalTicksFromTheCpuLineOfProcStat() {
        assertEquals(2255 + 34 + 2290 + 22625563 + 6290 + 127 + 456 + 0, LinuxProcessTable.parseTotalTicks(Fixtures.text("proc-stat.txt")));
        assertThrows(IllegalStateException.class, () -> LinuxProcessTable.parseTotalTicks("intr 1 2 3\n"));
    }

    @Test
    void pageSizeFromResidentBytesOverPages() {
        assertEquals(4096, PageSize.fromRatio(4096L * 1000 + 3000, 1000));
        assertEquals(65536, PageSize.fromRatio(65536L * 10, 10));
        assertEquals(PageSize.DEFAULT, PageSize.fromRatio(0, 0));
        assertEquals(PageSize.DEFAULT, PageSize.fromRatio(100, 100));
    }

    @Test
    void failedUnitsFromSystemctl() {
        assertEquals(List.of("cups-browsed.service", "systemd-networkd-wait-online.service"),
                ServicesCollector.parseFailedUnits(Fixtures.text("systemctl-failed.txt")));
        assertEquals(List.of("snapd.apparmor.service"), ServicesCollector.parseFailedUnits(Fixtures.text("systemctl-failed-old.txt")));
        assertEquals(List.of(), ServicesCollector.parseFailedUnits(""));
        assertEquals(ServicesCollector.MAX_NAMES_TEXT, ServicesCollector.joinCapped(java.util.Collections.nCopies(100, "x.service")).length());
    }

    @Test
    void realLocalMountsFromProcSelfMounts() {
        List<LinuxMounts.Mount> m = LinuxMounts.parseMounts(Fixtures.lines("proc-self-mounts.txt"));
        assertEquals(List.of("/", "/boot/efi", "/media/alice/USB STICK", "/home"), m.stream().map(LinuxMounts.Mount::mountPoint).toList());
        assertEquals("ro,nosuid,nodev,relatime", m.get(2).options());
        assertEquals("btrfs", m.get(3).type());
        assertEquals("a b\\x", LinuxMounts.unescape("a\\040b\\134x"));
        assertEquals("tail\\04", LinuxMounts.unescape("tail\\04"));
    }

    @Test
    void wholeDisksFromProcDiskstats() {
        List<LinuxDiskStats.Device> d = LinuxDiskStats.parse(Fixtures.lines("proc-diskstats.txt"),
                java.util.Set.of("loop0", "nvme0n1", "zram0"));
        assertEquals(1, d.size(), "partitions, loop and zram left out");
        LinuxDiskStats.Device n = d.get(0);
        assertEquals("nvme0n1", n.name());
        assertEquals(27839514L * 512, n.readBytes());
        assertEquals(60311954L * 512, n.writeBytes());
        assertEquals(351246, n.reads());
        assertEquals(914213, n.writes());
        assertEquals(0, n.inFlight());
        assertEquals(433228, n.busyMillis());
    }

    @Test
    void namesAndSmallHelpers() {
        assertEquals("sda", DiskCollector.shortName("/dev/sda"));
        assertEquals("PHYSICALDRIVE0", DiskCollector.shortName("\\\\.\\PHYSICALDRIVE0"));
        assertTrue(DiskCollector.isPseudo("/dev/loop3"));
        assertTrue(DiskCollector.isPseudo("zram0"));
        assertFalse(DiskCollector.isPseudo("nvme0n1"));
        assertEquals("10.0.0.5/24 fe80::1/64", NetworkCollector.addresses(new String[] {"10.0.0.5"}, new Short[] {24},
                new String[] {"fe80::1"}, new Short[] {64}));
        assertEquals("", NetworkCollector.addresses(new String[0], new Short[0], null, null));
        assertEquals("alice,bob", OsCollector.users(List.of("bob", "alice", "bob", " ")));
        assertEquals(0.2, PowerCollector.wear(40_000, 50_000), 1e-9);
        assertTrue(Double.isNaN(PowerCollector.wear(0, 50_000)));
    }
}

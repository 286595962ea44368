package io.firstline.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import oshi.software.os.InternetProtocolStats;
import oshi.software.os.InternetProtocolStats.TcpStats;

/**
 * The host's TCP counters: connections established now, and the growing
 * counts of failed connection attempts, segments sent and segments
 * retransmitted. On Linux read straight from {@code /proc/net/snmp} (one
 * small file, IPv4 and IPv6 together); elsewhere from OSHI.
 */
record TcpCounters(long established, long attemptFails, long segmentsSent, long segmentsRetransmitted) {
    static final Path PROC_SNMP = Path.of("/proc/net/snmp");

    static TcpCounters read(InternetProtocolStats ip) throws IOException {
        if (Files.isReadable(PROC_SNMP)) {
            return parseSnmp(Files.readAllLines(PROC_SNMP));
        }
        TcpStats v4 = ip.getTCPv4Stats();
        TcpStats v6 = ip.getTCPv6Stats();
        return new TcpCounters(v4.getConnectionsEstablished() + v6.getConnectionsEstablished(),
                v4.getConnectionFailures() + v6.getConnectionFailures(),
                v4.getSegmentsSent() + v6.getSegmentsSent(),
                v4.getSegmentsRetransmitted() + v6.getSegmentsRetransmitted());
    }

    /**
     * Parses the two {@code Tcp:} lines of {@code /proc/net/snmp}: a header
     * line of names, then a line of values in the same order.
     */
    static TcpCounters parseSnmp(List<String> lines) {
        String[] names = null;
        for (String line : lines) {
            if (!line.startsWith("Tcp:")) {
                continue;
            }
            String[] fields = line.substring(4).trim().split("\\s+");
            if (names == null) {
                names = fields;
                continue;
            }
            return new TcpCounters(field(names, fields, "CurrEstab"), field(names, fields, "AttemptFails"),
                    field(names, fields, "OutSegs"), field(names, fields, "RetransSegs"));
        }
        throw new IllegalStateException("no Tcp: lines in /proc/net/snmp");
    }

    private static long field(String[] names, String[] values, String name) {
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (names[i].equals(name)) {
                return ProcFormat.counter(values[i], "/proc/net/snmp");
            }
        }
        throw new IllegalStateException("no " + name + " in /proc/net/snmp");
    }
}

package io.firstline.agent.collect;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import oshi.hardware.NetworkIF;
import oshi.software.os.InternetProtocolStats;

/**
 * Per network interface but loopback: rates, errors, drops, link state,
 * speed, MTU and addresses; for the host: TCP connections established, and
 * retransmitted segments and failed connection attempts per second.
 * Interfaces are listed again once a minute (every sixth cycle at the default
 * interval) and updated in place in between. An interface that is down and
 * has never carried a byte (an unused virtual device) is left out.
 */
final class NetworkCollector implements Collector {
    private static final int RELIST_EVERY = 6;

    private final HostProbe probe;
    private final InternetProtocolStats ip;
    private final Rates rates = new Rates();
    private List<NetworkIF> interfaces;
    private int cycle;

    NetworkCollector(HostProbe probe) {
        this.probe = probe;
        this.ip = probe.os().getInternetProtocolStats();
    }

    @Override
    public void collect(MetricWriter out) throws Exception {
        if (interfaces == null || cycle++ % RELIST_EVERY == 0) {
            interfaces = probe.hardware().getNetworkIFs(false).stream().filter(n -> !isLoopback(n) && !unused(n)).toList();
        } else {
            interfaces.forEach(NetworkIF::updateAttributes);
        }
        Set<String> seen = new HashSet<>();
        for (NetworkIF nif : interfaces) {
            boolean up = nif.getIfOperStatus() == NetworkIF.IfOperStatus.UP;
            String name = nif.getName();
            long t = nif.getTimeStamp() * 1_000_000L;
            out.value("net.up", name, up ? 1 : 0);
            out.value("net.rx_bytes_per_second", name, rate(seen, name + "/rxb", nif.getBytesRecv(), t));
            out.value("net.tx_bytes_per_second", name, rate(seen, name + "/txb", nif.getBytesSent(), t));
            out.value("net.rx_packets_per_second", name, rate(seen, name + "/rxp", nif.getPacketsRecv(), t));
            out.value("net.tx_packets_per_second", name, rate(seen, name + "/txp", nif.getPacketsSent(), t));
            out.value("net.errors_per_second", name, rate(seen, name + "/err", nif.getInErrors() + nif.getOutErrors(), t));
            out.value("net.drops_per_second", name, rate(seen, name + "/drop", nif.getInDrops(), t));
            if (nif.getSpeed() > 0) {
                out.value("net.speed_bits_per_second", name, nif.getSpeed());
            }
            out.value("net.mtu_bytes", name, nif.getMTU());
            out.text("net.addresses", name, addresses(nif.getIPv4addr(), nif.getSubnetMasks(), nif.getIPv6addr(), nif.getPrefixLengths()));
        }
        TcpCounters tcp = TcpCounters.read(ip);
        long now = System.nanoTime();
        out.value("tcp.established", tcp.established());
        out.value("tcp.retransmits_per_second", rate(seen, "tcp/retrans", tcp.segmentsRetransmitted(), now));
        out.value("tcp.failed_connects_per_second", rate(seen, "tcp/fails", tcp.attemptFails(), now));
        rates.retainOnly(seen);
    }

    private double rate(Set<String> seen, String key, long counter, long nanos) {
        seen.add(key);
        return rates.perSecond(key, counter, nanos);
    }

    /** "10.0.0.5/24 fe80::1/64": every address with its prefix length, space separated. */
    static String addresses(String[] v4, Short[] masks, String[] v6, Short[] prefixes) {
        StringBuilder b = new StringBuilder();
        append(b, v4, masks);
        append(b, v6, prefixes);
        return b.toString();
    }

    private static void append(StringBuilder b, String[] addrs, Short[] prefixes) {
        for (int i = 0; addrs != null && i < addrs.length; i++) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(addrs[i]);
            if (prefixes != null && i < prefixes.length && prefixes[i] != null) {
                b.append('/').append(prefixes[i]);
            }
        }
    }

    /** Down and never carried a byte: an unused virtual device (checked when listing; it may come up by the next). */
    private static boolean unused(NetworkIF nif) {
        return nif.getIfOperStatus() != NetworkIF.IfOperStatus.UP && nif.getBytesRecv() == 0 && nif.getBytesSent() == 0;
    }

    private static boolean isLoopback(NetworkIF nif) {
        return "lo".equals(nif.getName()) || nif.getIfType() == 24 || nif.getIfType() == 772;
    }
}

package io.firstline.agent.collect;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import oshi.hardware.NetworkIF;

/**
 * Rates, errors, drops and link state of every network interface but
 * loopback. Interfaces are listed again once a minute (every sixth cycle at
 * the default interval) and updated in place in between.
 */
final class NetworkCollector implements Collector {
    private static final int RELIST_EVERY = 6;

    private final HostProbe probe;
    private final Rates rates = new Rates();
    private List<NetworkIF> interfaces;
    private int cycle;

    NetworkCollector(HostProbe probe) {
        this.probe = probe;
    }

    @Override
    public void collect(MetricWriter out) {
        if (interfaces == null || cycle++ % RELIST_EVERY == 0) {
            interfaces = probe.hardware().getNetworkIFs(false).stream().filter(n -> !isLoopback(n)).toList();
        } else {
            interfaces.forEach(NetworkIF::updateAttributes);
        }
        Set<String> seen = new HashSet<>();
        for (NetworkIF nif : interfaces) {
            String name = nif.getName();
            long t = nif.getTimeStamp() * 1_000_000L;
            out.value("net.up", name, nif.getIfOperStatus() == NetworkIF.IfOperStatus.UP ? 1 : 0);
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
        }
        rates.retainOnly(seen);
    }

    private double rate(Set<String> seen, String key, long counter, long nanos) {
        seen.add(key);
        return rates.perSecond(key, counter, nanos);
    }

    private static boolean isLoopback(NetworkIF nif) {
        return "lo".equals(nif.getName()) || nif.getIfType() == 24 || nif.getIfType() == 772;
    }
}

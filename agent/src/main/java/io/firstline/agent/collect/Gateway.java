package io.firstline.agent.collect;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the IPv4 default gateway and whether it answers. On Linux both come
 * from the kernel's tables ({@code /proc/net/route}, {@code /proc/net/arp}),
 * which costs no traffic: a gateway is reachable when its neighbour entry is
 * complete. Elsewhere the gateway comes from OSHI and is probed with
 * {@link InetAddress#isReachable}.
 */
final class Gateway {
    static final Path PROC_ROUTE = Path.of("/proc/net/route");
    static final Path PROC_ARP = Path.of("/proc/net/arp");
    private static final int ATF_COM = 0x2;

    private Gateway() {
    }

    /** The default gateway, or empty when the host has none. */
    static Optional<String> find(HostProbe probe) throws IOException {
        if (Files.isReadable(PROC_ROUTE)) {
            return parseRoute(Files.readAllLines(PROC_ROUTE));
        }
        String gw = probe.os().getNetworkParams().getIpv4DefaultGateway();
        return gw == null || gw.isBlank() || gw.equals("0.0.0.0") ? Optional.empty() : Optional.of(gw);
    }

    static boolean reachable(String gateway, int timeoutMs) throws IOException {
        if (Files.isReadable(PROC_ARP)) {
            return parseArpComplete(Files.readAllLines(PROC_ARP), gateway);
        }
        return InetAddress.getByName(gateway).isReachable(timeoutMs);
    }

    /**
     * The gateway of the first default route (destination 00000000) in
     * {@code /proc/net/route}; addresses there are little-endian hex.
     */
    static Optional<String> parseRoute(List<String> lines) {
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[1].equals("00000000") && !f[2].equals("00000000")) {
                long hex = ProcFormat.hex(f[2], "/proc/net/route");
                return Optional.of(String.format(Locale.ROOT, "%d.%d.%d.%d",
                        hex & 0xff, (hex >> 8) & 0xff, (hex >> 16) & 0xff, (hex >> 24) & 0xff));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code /proc/net/arp} has a complete entry for {@code ip}. */
    static boolean parseArpComplete(List<String> lines, String ip) {
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[0].equals(ip)) {
                return (ProcFormat.hex(f[2], "/proc/net/arp") & ATF_COM) != 0 && !f[3].equals("00:00:00:00:00:00");
            }
        }
        return false;
    }
}

package io.firstline.agent.diagnose;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Routes and the connection table from {@code /proc/net} (no outside
 * program). Parsing is pure and tested with fixtures; reading is one method.
 */
final class ProcNet {
    static final int MAX_CONNECTIONS = 2000;
    private static final String[] TCP_STATES = {"", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
        "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};

    private ProcNet() {
    }

    record Route(String iface, String destination, String gateway, String metric) {
    }

    record Socket(String protocol, String local, String remote, String state, String uid) {
    }

    static void routes(Job job, CappedOutput out) throws Exception {
        List<Route> routes = new ArrayList<>(parseRoutes(read(Path.of("/proc/net/route"))));
        routes.addAll(parseRoutes6(read(Path.of("/proc/net/ipv6_route"))));
        out.line("%-40s %-40s %-12s %s", "destination", "gateway", "interface", "metric");
        for (Route r : routes) {
            out.line("%-40s %-40s %-12s %s", r.destination(), r.gateway(), r.iface(), r.metric());
        }
        String gateway = routes.stream().filter(r -> r.destination().equals("0.0.0.0/0")).map(Route::gateway).findFirst().orElse("");
        out.summary("routes", routes.size());
        out.summary("default_gateway", gateway.isEmpty() ? "none" : gateway);
        out.message(routes.size() + " route(s); default gateway " + (gateway.isEmpty() ? "none" : gateway));
    }

    static void connections(Job job, CappedOutput out) throws Exception {
        List<Socket> all = new ArrayList<>();
        for (String proto : List.of("tcp", "tcp6", "udp", "udp6")) {
            all.addAll(parseSockets(proto, read(Path.of("/proc/net/" + proto))));
        }
        Map<String, Integer> byState = new TreeMap<>();
        all.forEach(s -> byState.merge(s.protocol().replace("6", "") + " " + s.state(), 1, Integer::sum));
        out.line("# %d socket(s): %s", all.size(), byState);
        out.line("%-5s %-46s %-46s %-12s %s", "proto", "local", "remote", "state", "uid");
        for (Socket s : all.subList(0, Math.min(MAX_CONNECTIONS, all.size()))) {
            out.line("%-5s %-46s %-46s %-12s %s", s.protocol(), s.local(), s.remote(), s.state(), s.uid());
        }
        if (all.size() > MAX_CONNECTIONS) {
            out.truncated();
            out.line("# only the first %d shown", MAX_CONNECTIONS);
        }
        out.summary("sockets", all.size());
        byState.forEach((k, v) -> out.summary(k.replace(' ', '_').toLowerCase(java.util.Locale.ROOT), v));
        out.message(all.size() + " socket(s)");
    }

    private static List<String> read(Path p) throws IOException {
        try {
            return Files.readAllLines(p);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** {@code /proc/net/route}: hex little-endian IPv4 destination, gateway and mask. */
    static List<Route> parseRoutes(List<String> lines) {
        List<Route> out = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                String dest = ipv4(f[1]);
                int prefix = Integer.bitCount((int) Long.parseLong(f[7], 16));
                out.add(new Route(f[0], dest + "/" + prefix, ipv4(f[2]), f[6]));
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return out;
    }

    /** {@code /proc/net/ipv6_route}: dest, dest prefix, src, src prefix, next hop, metric, refs, use, flags, device. */
    static List<Route> parseRoutes6(List<String> lines) {
        List<Route> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || f[0].length() != 32 || f[4].length() != 32) {
                continue;
            }
            try {
                out.add(new Route(f[9], ipv6(f[0]) + "/" + Integer.parseInt(f[1], 16), ipv6(f[4]), Long.toString(Long.parseLong(f[5], 16))));
            } catch (NumberFormatException | UnknownHostException e) {
                // not a route line
            }
        }
        return out;
    }

    /** {@code /proc/net/tcp} and friends: "sl local_address rem_address st ... uid ...". */
    static List<Socket> parseSockets(String protocol, List<String> lines) {
        List<Socket> out = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                int st = Integer.parseInt(f[3], 16);
                String state = protocol.startsWith("udp") ? (st == 7 ? "UNCONN" : st == 1 ? "ESTABLISHED" : Integer.toString(st))
                        : st > 0 && st < TCP_STATES.length ? TCP_STATES[st] : Integer.toString(st);
                out.add(new Socket(protocol, endpoint(f[1]), endpoint(f[2]), state, f[7]));
            } catch (NumberFormatException | UnknownHostException | StringIndexOutOfBoundsException e) {
                // not a socket line
            }
        }
        return out;
    }

    private static String endpoint(String hexAddrPort) throws UnknownHostException {
        int colon = hexAddrPort.indexOf(':');
        String addr = hexAddrPort.substring(0, colon);
        int port = Integer.parseInt(hexAddrPort.substring(colon + 1), 16);
        String ip = addr.length() == 8 ? ipv4(addr) : ipv6Words(addr);
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** Eight hex digits of a little-endian IPv4 address. */
    static String ipv4(String hex) {
        long v = Long.parseLong(hex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }

    /** 32 hex digits in network order (ipv6_route). */
    static String ipv6(String hex) throws UnknownHostException {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return InetAddress.getByAddress(b).getHostAddress();
    }

    /** 32 hex digits as four little-endian 32-bit words (/proc/net/tcp6). */
    static String ipv6Words(String hex) throws UnknownHostException {
        if (hex.length() != 32) {
            throw new NumberFormatException("not an IPv6 address: " + hex);
        }
        byte[] b = new byte[16];
        for (int w = 0; w < 4; w++) {
            for (int i = 0; i < 4; i++) {
                b[w * 4 + i] = (byte) Integer.parseInt(hex.substring(w * 8 + (3 - i) * 2, w * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        return InetAddress.getByAddress(b).getHostAddress();
    }
}

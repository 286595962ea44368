package io.firstline.agent.collect;

import io.firstline.agent.collect.CollectEnvironment.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * What a user means by "the network is down": is the default gateway there,
 * how long the configured DNS names take to resolve, and how long a TCP
 * connect to the console takes. While the link is up that is the link's own
 * connect time, so a healthy fleet sends the console no extra connections;
 * while it is down each console address is probed with a plain TCP connect,
 * which tells "console unreachable" from "console refuses us". Runs on a
 * slower schedule (every minute by default), so the JVM's 30-second DNS
 * cache has always expired and each lookup is a real one.
 */
final class ConnectivityCollector implements Collector {
    static final int TIMEOUT_MS = 2000;

    private final HostProbe probe;

    ConnectivityCollector(HostProbe probe) {
        this.probe = probe;
    }

    @Override
    public void collect(MetricWriter out) throws IOException {
        Optional<String> gateway = Gateway.find(probe);
        out.value("connectivity.has_gateway", gateway.isPresent() ? 1 : 0);
        if (gateway.isPresent()) {
            out.value("connectivity.gateway_reachable", Gateway.reachable(gateway.get(), TIMEOUT_MS) ? 1 : 0);
        }
        for (String name : probe.environment().dnsNames()) {
            long start = System.nanoTime();
            boolean ok;
            try {
                ok = InetAddress.getAllByName(name).length > 0;
            } catch (UnknownHostException e) {
                ok = false;
            }
            out.value("connectivity.dns_ok", name, ok ? 1 : 0);
            if (ok) {
                out.value("connectivity.dns_resolve_ms", name, (System.nanoTime() - start) / 1e6);
            }
        }
        CollectEnvironment.LinkClock link = probe.environment().linkClock();
        if (link.connected()) {
            out.value("connectivity.console_connected", 1);
            link.connectMillis().ifPresent(ms -> out.value("connectivity.console_connect_ms", "link", ms));
            return;
        }
        if (!probe.environment().consoles().isEmpty()) {
            out.value("connectivity.console_connected", 0);
        }
        for (Endpoint console : probe.environment().consoles()) {
            String resource = console.toString();
            long start = System.nanoTime();
            boolean ok;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(console.host(), console.port()), TIMEOUT_MS);
                ok = true;
            } catch (IOException e) {
                ok = false;
            }
            out.value("connectivity.console_reachable", resource, ok ? 1 : 0);
            if (ok) {
                out.value("connectivity.console_connect_ms", resource, (System.nanoTime() - start) / 1e6);
            }
        }
    }
}

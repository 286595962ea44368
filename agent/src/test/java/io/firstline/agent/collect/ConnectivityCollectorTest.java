package io.firstline.agent.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.collect.CollectEnvironment.Endpoint;
import io.firstline.agent.collect.CollectEnvironment.LinkClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Connectivity over loopback only: a listening and a closed port, and a name that resolves locally. */
class ConnectivityCollectorTest {

    private static Map<String, Double> run(CollectEnvironment env) {
        CollectorRunner runner = new CollectorRunner(List.of(new Registration("connectivity", true, ConnectivityCollector::new)),
                new HostProbe(env), Clock.systemUTC());
        Snapshot s = runner.collect();
        assertEquals(Snapshot.Outcome.OK, s.runs().get(0).outcome(), s.runs().get(0).error());
        return s.values().stream().collect(Collectors.toMap(r -> r.metric() + "@" + r.resource(), Snapshot.Reading::value));
    }

    @Test
    void linkDownProbesEachConsoleAddress() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Endpoint up = new Endpoint("127.0.0.1", open.getLocalPort());
            Endpoint down = new Endpoint("127.0.0.1", closedPort);
            Map<String, Double> v = run(new CollectEnvironment(List.of("localhost"), List.of(up, down), LinkClock.NONE));
            assertEquals(0, v.get("connectivity.console_connected@"));
            assertEquals(1, v.get("connectivity.console_reachable@" + up));
            assertTrue(v.get("connectivity.console_connect_ms@" + up) >= 0);
            assertEquals(0, v.get("connectivity.console_reachable@" + down));
            assertFalse(v.containsKey("connectivity.console_connect_ms@" + down));
            assertEquals(1, v.get("connectivity.dns_ok@localhost"));
            assertTrue(v.get("connectivity.dns_resolve_ms@localhost") >= 0);
            assertTrue(v.containsKey("connectivity.has_gateway@"));
        }
    }

    @Test
    void linkUpReportsTheLinksOwnConnectTimeAndProbesNothing() {
        LinkClock link = new LinkClock() {
            @Override
            public OptionalLong offsetMillis() {
                return OptionalLong.of(3);
            }

            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public OptionalDouble connectMillis() {
                return OptionalDouble.of(1.5);
            }
        };
        // Port 9 on loopback: a probe would find it closed; the collector must not probe at all.
        Map<String, Double> v = run(new CollectEnvironment(List.of(), List.of(new Endpoint("127.0.0.1", 9)), link));
        assertEquals(1, v.get("connectivity.console_connected@"));
        assertEquals(1.5, v.get("connectivity.console_connect_ms@link"));
        assertFalse(v.keySet().stream().anyMatch(k -> k.startsWith("connectivity.console_reachable")), v.toString());
    }
}

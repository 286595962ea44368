package io.firstline.console;

import static io.firstline.console.TestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safe diagnostics through the shipped jars, as separate processes: the
 * agent's own config file lists what it allows, the console learns it at
 * Hello, and TCP connect, DNS lookup, disk usage and log tail run for real on
 * the agent; what the agent's config leaves out is refused by the console
 * before anything is sent.
 */
class DiagnosticsIT {
    @TempDir
    Path dir;
    private JarFleet fleet;
    private String base;

    private JsonNode run(TestSupport.Auth auth, String agent, String body) {
        TestSupport.Response r = TestSupport.post(base + "/api/agents/" + agent + "/diagnostics", auth, body);
        assertEquals(202, r.status(), body + " -> " + r.body());
        long id = r.json().path("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Set.of("pending", "running").contains(
                get(base + "/api/diagnostics/" + id, auth).json().path("state").asText()));
        JsonNode d = get(base + "/api/diagnostics/" + id, auth).json();
        assertEquals("done", d.path("state").asText(), d.toString());
        return d;
    }

    @Test
    void tcpConnectDnsLookupDiskUsageAndLogTailRunForRealOnTheAgent() throws Exception {
        Path data = Files.createDirectories(dir.resolve("srv/data/cache"));
        Files.write(data.resolve("blob"), new byte[2_000_000]);
        Path log = dir.resolve("app.log");
        Files.writeString(log, "boot\nWARN low disk\nERROR cannot write /srv/data: No space left on device\nretry\n");
        Files.writeString(dir.resolve("agent.conf"), """
                diagnostics.actions = tcp_connect, dns_lookup, disk_usage, log_tail
                diagnostics.logs = app:%s
                diagnostics.disk_roots = %s
                """.formatted(log, dir.resolve("srv")));
        fleet = new JarFleet(dir);
        base = fleet.base;
        TestSupport.Auth auth = fleet.startConsole("diagnostics-it-password");
        fleet.enrollAgent();
        fleet.launch("agent", JarFleet.jar("firstline.agentJar").toString(), "run", "--console", "127.0.0.1:" + fleet.agentPort,
                "--state-dir", dir.resolve("agent-state").toString(), "--config", dir.resolve("agent.conf").toString());
        String agent = await().atMost(Duration.ofSeconds(60)).until(() -> {
            TestSupport.Response r = get(base + "/api/agents", auth);
            return r.status() == 200 && r.json().size() == 1 && "online".equals(r.json().get(0).path("status").asText())
                    ? r.json().get(0).path("id").asText() : null;
        }, java.util.Objects::nonNull);
        JsonNode allowed = await().atMost(Duration.ofSeconds(20)).until(() -> get(base + "/api/agents/" + agent + "/diagnostics", auth)
                .json().path("allowed"), a -> a.path("enabled").asBoolean());
        assertEquals(4, allowed.path("actions").size(), allowed.toString());
        assertEquals("app", allowed.path("logs").get(0).asText());

        try (ServerSocket target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            JsonNode tcp = run(auth, agent, "{\"action\":\"tcp_connect\",\"params\":{\"host\":\"127.0.0.1\",\"port\":"
                    + target.getLocalPort() + "}}");
            assertEquals("true", tcp.path("result").path("summary").path("connected").asText(), tcp.toString());
        }
        JsonNode dns = run(auth, agent, "{\"action\":\"dns_lookup\",\"params\":{\"name\":\"localhost\",\"type\":\"A\"}}");
        assertTrue(dns.path("result").path("output").asText().contains("127.0.0.1"), dns.toString());
        JsonNode du = run(auth, agent, "{\"action\":\"disk_usage\",\"params\":{\"path\":\"" + dir.resolve("srv") + "\"}}");
        assertTrue(du.path("result").path("message").asText().contains("largest " + dir.resolve("srv/data")), du.toString());
        JsonNode tail = run(auth, agent, "{\"action\":\"log_tail\",\"params\":{\"log\":\"app\",\"grep\":\"ERROR|WARN\",\"lines\":5}}");
        String out = tail.path("result").path("output").asText();
        assertTrue(out.contains("WARN low disk") && out.contains("No space left") && !out.contains("retry"), out);

        // The agent's config leaves ping and the system logs out: the console refuses them, naming why, before sending.
        TestSupport.Response ping = TestSupport.post(base + "/api/agents/" + agent + "/diagnostics", auth,
                "{\"action\":\"ping\",\"params\":{\"host\":\"127.0.0.1\"}}");
        assertEquals(400, ping.status(), ping.body());
        assertTrue(ping.json().path("error").asText().contains("not allowed by this agent's config"), ping.body());
        TestSupport.Response syslog = TestSupport.post(base + "/api/agents/" + agent + "/diagnostics", auth,
                "{\"action\":\"log_tail\",\"params\":{\"log\":\"syslog\"}}");
        assertEquals(400, syslog.status());
        assertEquals("log", syslog.json().path("param").asText());
        assertTrue(Files.readString(dir.resolve("agent.log")).contains("diagnostic "), "the agent logs each request");
    }

    @AfterEach
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }
}

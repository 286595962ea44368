package io.firstline.console.web;

import static io.firstline.console.TestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiTest {
    @TempDir
    static Path dir;
    static Console console;
    static String base;
    static TestSupport.Auth admin;

    @BeforeAll
    static void start() {
        console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
        base = "http://127.0.0.1:" + console.httpPort();
        admin = TestSupport.adminToken(console);
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    @Test
    void healthzAnswersWhenReady() {
        TestSupport.Response r = get(base + "/healthz");
        assertEquals(200, r.status());
        assertEquals("ok", r.json().path("status").asText());
    }

    @Test
    void emptyFleetIsAnEmptyList() {
        assertEquals(401, get(base + "/api/agents").status());
        TestSupport.Response r = get(base + "/api/agents", admin);
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("application/json"));
        assertEquals(0, r.json().size());
    }

    @Test
    void unknownAgentIs404WithTheIdQuoted() {
        TestSupport.Response r = get(base + "/api/agents/%3Cscript%3E", admin);
        assertEquals(404, r.status());
        assertTrue(r.json().path("error").asText().contains("<script>"), r.body());
    }

    @Test
    void unknownPathIs404AndPostIs405() {
        assertEquals(404, get(base + "/api/nope", admin).status());
        TestSupport.Response r = TestSupport.send(HttpRequest.newBuilder(URI.create(base + "/api/agents"))
                .header("Authorization", admin.value())
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(405, r.status());
    }

    @Test
    void metricsAreOpenAndInPrometheusTextFormat() {
        TestSupport.Response r = get(base + "/metrics");
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("text/plain; version=0.0.4"), r.contentType());
        for (String name : new String[] {"firstline_agents_connected", "firstline_ingest_samples_total",
                "firstline_frames_rejected_total{reason=\"oversize\"}", "firstline_ingest_received_bytes_total",
                "firstline_ingest_latency_seconds_count", "jvm_memory_used_bytes", "netty_eventexecutor_tasks_pending"}) {
            assertTrue(r.body().contains(name), "missing " + name);
        }
    }
}

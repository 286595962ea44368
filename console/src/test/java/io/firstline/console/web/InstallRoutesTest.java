package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's {@code /install/...} routes over real HTTP, without a login:
 * the script as it is in install/agent, the archive byte for byte (sent from
 * the file), its checksum, HEAD, a missing archive, and the install code a
 * new token comes with, good for one exchange.
 */
class InstallRoutesTest {
    @TempDir
    static Path dir;
    static Console console;
    static String base;
    static Path archive;
    static byte[] bytes;

    @BeforeAll
    static void start() throws Exception {
        archive = dir.resolve("firstline-agent-linux-x64.tar.gz");
        bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(17).nextBytes(bytes);
        Files.write(archive, bytes);
        System.setProperty(AgentArchive.PROPERTY, archive.toString());
        try {
            console = Console.start(ConsoleConfig.defaults(dir.resolve("data"))
                    .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                    .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
        } finally {
            System.clearProperty(AgentArchive.PROPERTY);
        }
        base = "http://127.0.0.1:" + console.httpPort();
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void scriptArchiveAndChecksumNeedNoLogin() throws Exception {
        TestSupport.Response script = TestSupport.get(base + "/install/agent.sh");
        assertEquals(200, script.status());
        assertTrue(script.contentType().startsWith("text/x-shellscript"), script.contentType());
        assertEquals(Files.readString(Path.of("..", "install", "agent", "install.sh")), script.body());

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create(base + "/install/firstline-agent-linux-x64.tar.gz")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, got.statusCode());
        assertEquals("application/gzip", got.headers().firstValue("content-type").orElse(""));
        assertArrayEquals(bytes, got.body());
        // Twice on one keep-alive connection: the file region leaves the connection usable.
        assertArrayEquals(bytes, http.send(HttpRequest.newBuilder(URI.create(base + "/install/firstline-agent-linux-x64.tar.gz")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(base + "/install/firstline-agent-linux-x64.tar.gz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(bytes.length), head.headers().firstValue("content-length").orElse(""));

        TestSupport.Response sum = TestSupport.get(base + "/install/firstline-agent-linux-x64.tar.gz.sha256");
        assertEquals(200, sum.status());
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertEquals(hex + "  firstline-agent-linux-x64.tar.gz\n", sum.body());
    }

    @Test
    void aNewTokensInstallCodeTradesForItOnce() {
        TestSupport.Auth admin = TestSupport.adminToken(console);
        TestSupport.Response created = TestSupport.post(base + "/api/tokens", admin, "{\"site\":\"lab\",\"ttl\":\"10m\"}");
        assertEquals(201, created.status(), created.body());
        JsonNode t = created.json();
        String code = t.get("installCode").asText();
        assertTrue(code.startsWith("fic_"), code);
        assertTrue(t.get("installCodeExpiresAt").asText().compareTo(t.get("expiresAt").asText()) <= 0);
        TestSupport.Response traded = TestSupport.send(HttpRequest.newBuilder(URI.create(base + "/install/token"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(code)));
        assertEquals(200, traded.status(), traded.body());
        assertEquals(t.get("token").asText() + "\n", traded.body());
        TestSupport.Response again = TestSupport.send(HttpRequest.newBuilder(URI.create(base + "/install/token"))
                .POST(HttpRequest.BodyPublishers.ofString(code)));
        assertEquals(410, again.status());
        assertTrue(again.json().get("error").asText().contains("unknown, used or expired"), again.body());
        TestSupport.Response huge = TestSupport.send(HttpRequest.newBuilder(URI.create(base + "/install/token"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(10_000))));
        assertEquals(413, huge.status());
    }

    @Test
    void withoutAnArchiveTheConsoleSaysHowToGetOne() throws Exception {
        Path moved = dir.resolve("moved.tar.gz");
        Files.move(archive, moved);
        try {
            TestSupport.Response r = TestSupport.get(base + "/install/firstline-agent-linux-x64.tar.gz");
            assertEquals(404, r.status());
            assertTrue(r.json().get("error").asText().contains("./mvnw package"), r.body());
            assertEquals(404, TestSupport.get(base + "/install/firstline-agent-linux-x64.tar.gz.sha256").status());
        } finally {
            Files.move(moved, archive);
        }
    }
}

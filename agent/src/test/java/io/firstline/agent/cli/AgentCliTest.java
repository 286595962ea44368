package io.firstline.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.agent.AgentMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private int run(String... args) {
        return CliSupport.execute(new AgentMain(), args);
    }

    @Test
    void collectOnceJsonIsOneSnapshot() throws Exception {
        assertEquals(0, run("collect", "--once", "--json", "--over", "200ms"));
        JsonNode root = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(root.path("host").path("hostname").asText().length() > 0);
        assertEquals(12, root.path("collectors").size());
        assertTrue(root.path("values").size() > 5);
        java.util.Set<String> kinds = new java.util.HashSet<>();
        root.path("inventory").forEach(i -> kinds.add(i.path("kind").asText()));
        assertTrue(kinds.containsAll(java.util.Set.of("agent", "cpu", "os")), kinds.toString());
    }

    @Test
    void unknownOptionIsOneLineAndExitCode2() {
        assertEquals(2, run("run", "--consol", "x"));
        String e = err.toString(StandardCharsets.UTF_8).trim();
        assertTrue(e.contains("--consol"), e);
        assertEquals(1, e.lines().count(), e);
    }

    @Test
    void badIntervalNamesTheValue() {
        assertEquals(2, run("run", "--console", "127.0.0.1:1", "--interval", "fast"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'fast'"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownCollectorIsNamed() {
        assertEquals(2, run("collect", "--once", "--enable", "gpu"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'gpu'"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badConfigFileIsNamedAtStartup(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path conf = java.nio.file.Files.writeString(dir.resolve("agent.conf"), "collector.processes.interval = soon\n");
        assertEquals(2, run("run", "--console", "127.0.0.1:1", "--state-dir", dir.toString(), "--config", conf.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("agent.conf:1: bad interval for collector.processes.interval: 'soon'"), e);
        assertEquals(1, e.trim().lines().count(), e);
        java.nio.file.Files.writeString(conf, "collectors.disable = gpu\n");
        assertEquals(2, run("collect", "--once", "--config", conf.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown collector 'gpu' in collectors.disable"));
    }

    @Test
    void badConsoleAddressIsNamed() {
        assertEquals(2, run("run", "--console", "host:http", "--state-dir", System.getProperty("java.io.tmpdir")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'http'"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runNeedsAnEnrolledStateDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path state) {
        assertEquals(1, run("run", "--console", "127.0.0.1:1", "--state-dir", state.toString()));
        String e = err.toString(StandardCharsets.UTF_8).trim();
        assertTrue(e.contains("not enrolled") && e.contains("firstline-agent enroll"), e);
        assertEquals(1, e.lines().count(), e);
    }

    @Test
    void aMissingStateDirectoryIsBadInput(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String missing = dir.resolve("no-such-dir").toString();
        assertEquals(2, run("run", "--console", "127.0.0.1:1", "--state-dir", missing));
        String e = err.toString(StandardCharsets.UTF_8).trim();
        assertTrue(e.contains("state directory " + missing + " does not exist"), e);
        assertEquals(1, e.lines().count(), e);
    }

    @Test
    void enrollTakesNoTokenOnTheCommandLineAndChecksTheFingerprint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path state)
            throws Exception {
        assertEquals(2, run("enroll", "--console", "127.0.0.1:1", "--token", "secret", "--ca-fingerprint", "sha256:00"));
        java.nio.file.Path token = state.resolve("token");
        java.nio.file.Files.writeString(token, "flt1_x\n");
        assertEquals(2, run("enroll", "--console", "127.0.0.1:1", "--token-file", token.toString(), "--ca-fingerprint", "abc",
                "--state-dir", state.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not a SHA-256 fingerprint"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(1, run("enroll", "--console", "127.0.0.1:1", "--token-file", token.toString(), "--ca-fingerprint",
                "sha256:" + "ab".repeat(32), "--state-dir", state.toString(), "--timeout", "2s"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("enrollment failed"), err.toString(StandardCharsets.UTF_8));
    }
}

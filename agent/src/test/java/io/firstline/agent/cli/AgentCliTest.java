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
        return AgentMain.execute(args);
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

    @Test
    void reportAndStatusSayPlainlyWhenNoAgentListens(@org.junit.jupiter.api.io.TempDir java.nio.file.Path state) {
        assertEquals(1, run("report", "--state-dir", state.toString(), "my screen froze"));
        String e = err.toString(StandardCharsets.UTF_8).trim();
        assertTrue(e.contains("no agent is listening at " + state.resolve("agent.sock")), e);
        assertEquals(1, e.lines().count(), e);
        err.reset();
        assertEquals(1, run("status", "--state-dir", state.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no agent is listening"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void reportTakesExactlyOneSource() {
        assertEquals(2, run("report"));
        assertEquals(2, run("report", "words", "--stdin"));
        assertEquals(2, run("report", "--file", "a", "--stdin"));
    }

    @Test
    void reportFromAFileAndStatusAsJsonThroughARealSocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path state) throws Exception {
        java.util.List<io.firstline.proto.Envelope.Builder> sent = new java.util.ArrayList<>();
        io.firstline.agent.voice.UserVoice voice = new io.firstline.agent.voice.UserVoice(new io.firstline.agent.voice.UserVoice.Agent() {
            @Override
            public String agentId() {
                return "agent-1";
            }

            @Override
            public String hostname() {
                return "desk-7";
            }

            @Override
            public java.util.concurrent.CompletableFuture<java.util.List<io.firstline.proto.SnapshotTable>> snapshot() {
                return java.util.concurrent.CompletableFuture.completedFuture(java.util.List.of());
            }

            @Override
            public void send(io.firstline.proto.Envelope.Builder message) {
                sent.add(message);
            }

            @Override
            public boolean connected() {
                return false;
            }
        }, new io.firstline.agent.voice.RecentEvents(java.time.Clock.systemUTC()),
                io.firstline.agent.voice.StatusCache.open(state), java.time.Clock.systemUTC());
        java.nio.file.Path file = state.resolve("long.log");
        java.nio.file.Files.writeString(file, "the log says: " + "x".repeat(30_000));
        try (var server = io.firstline.agent.voice.LocalServer.start(io.firstline.agent.voice.LocalServer.Settings.at(
                io.firstline.agent.voice.LocalSocket.forStateDir(state)), voice)) {
            assertEquals(0, run("report", "--state-dir", state.toString(), "--file", file.toString()));
            String o = out.toString(StandardCharsets.UTF_8);
            assertTrue(o.contains("recorded as " + System.getProperty("user.name")), o);
            assertTrue(o.contains("longer than 8 KiB"), o);
            assertTrue(o.contains("Support cannot be reached right now"), o);
            String text = sent.get(0).getUserReport().getText();
            assertTrue(text.contains("the report was 30014 bytes"), "the whole file's size, though only its start was sent");
            out.reset();
            assertEquals(0, run("status", "--state-dir", state.toString(), "--json"));
            JsonNode status = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertEquals("agent", status.path("source").asText());
            assertEquals(1, status.path("pendingReports").size());
            assertTrue(status.path("ageSeconds").isNull(), "no status from the console yet");
        }
        // The agent is gone, but its state directory still has what it knew.
        voice.statusFromConsole(io.firstline.proto.TicketStatus.newBuilder().addTickets(io.firstline.proto.TicketNote.newBuilder()
                .setId(9).setSource("fault").setState("open").setTitle("Disk almost full")).build());
        out.reset();
        assertEquals(0, run("status", "--state-dir", state.toString()));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("The agent is not running. This is what support last told it"), o);
        assertTrue(o.contains("#9  Disk almost full"), o);
    }
}

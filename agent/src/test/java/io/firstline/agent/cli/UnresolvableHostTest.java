package io.firstline.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.agent.AgentMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint whose host name does not resolve (no DNS record, no /etc/hosts
 * line) is common. The JVM here is told to resolve names from an empty hosts
 * file ({@code jdk.net.hosts.file}), so the machine's own name does not
 * resolve; the agent then says so in one line, without a stack trace.
 */
class UnresolvableHostTest {
    @TempDir
    Path dir;

    @Test
    void collectingTheInventoryLogsOneLineAndNoStackTrace() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "");
        Path stderr = dir.resolve("stderr");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "collect", "--once", "--json", "--over", "0s")
                .redirectError(stderr.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "collect --once did not finish");
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        JsonNode json = new ObjectMapper().readTree(out);
        assertTrue(json.path("inventory").size() > 0, "the inventory is there all the same");
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        List<String> about = err.lines().filter(l -> l.contains("host name") || l.contains("UnknownHost")).toList();
        assertEquals(1, about.size(), "one line about the host name: " + err);
    }
}

package io.firstline.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.files.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Everything either side writes is for its owner only: the console's data
 * directory (store, -wal, -shm, CA, secrets, rules, native library) and the
 * agent's state directory (identity, credentials, spool), whatever the umask.
 * A loosened entry is reported at start; the SQLite library is one private
 * copy, and copies an earlier start left behind (kill -9) are removed.
 */
class PrivateDataTest {
    @TempDir
    Path dir;

    private ConsoleConfig config(Path data) {
        return ConsoleConfig.defaults(data)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void everyFileBothSidesWriteIsOwnerOnly() throws Exception {
        Path data = dir.resolve("nested/console");
        Path state = dir.resolve("nested/agent/state");
        Console console = Console.start(config(data));
        try {
            AgentRuntime agent = TestSupport.enrolledAgent(console, new AgentRuntime.Settings(
                    List.of(new ConsoleAddress("127.0.0.1", console.agentPort())), state, Duration.ofSeconds(1),
                    CollectorRegistry.builtIn().select(Set.of(), Set.of())));
            try {
                String id = agent.agentId();
                await().atMost(Duration.ofSeconds(30)).until(() -> console.fleet().committedThrough(id) >= 3);
            } finally {
                agent.close();
            }
            TestSupport.adminToken(console);
            for (String f : List.of("firstline.db", "firstline.db-wal", "firstline.db-shm", "console-id", "rules.yaml",
                    "initial-admin-password", "pki/ca.key", "pki/ca.crt", "pki/" + io.firstline.console.pki.SessionTicketKeys.FILE_NAME)) {
                assertEquals("rw-------", mode(data.resolve(f)), f);
            }
            for (String f : List.of("agent-id", "agent.key", "agent.crt", "spool")) {
                assertTrue(Files.exists(state.resolve(f)), f);
            }
            assertEquals(List.of(), PrivateFiles.loosened(data), "console data");
            assertEquals(List.of(), PrivateFiles.loosened(state), "agent state");
            for (Path p : List.of(dir.resolve("nested"), dir.resolve("nested/agent"))) {
                assertEquals("rwx------", mode(p), "directories made on the way are private too: " + p);
            }
        } finally {
            console.close();
        }
    }

    @Test
    void aLoosenedDataDirectoryIsReportedAtStartAndStaleSqliteLibrariesAreRemoved() throws Exception {
        Path data = dir.resolve("data");
        Console.start(config(data)).close();
        // What kill -9 used to leave: sqlite-jdbc's own extractions with their lock files.
        for (String stale : List.of("sqlite-3.54.1.0-0b1e2c3d-libsqlitejdbc.so", "sqlite-3.54.1.0-0b1e2c3d-libsqlitejdbc.so.lck")) {
            Files.writeString(data.resolve(stale), "x");
        }
        Files.writeString(data.resolve("native/0123456789abcdef-libsqlitejdbc.so"), "an older copy");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("firstline.db"), PosixFilePermissions.fromString("rw-r--r--"));

        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Console.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        log.addAppender(captured);
        try {
            Console.start(config(data)).close();
        } finally {
            log.detachAppender(captured);
        }
        List<String> warnings = captured.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("readable by other users")).toList();
        assertEquals(1, warnings.size(), captured.list.toString());
        assertTrue(warnings.get(0).contains(data.resolve("firstline.db") + " (rw-r--r--)") && warnings.get(0).contains("chmod -R go-rwx"),
                warnings.get(0));
        try (Stream<Path> top = Files.list(data)) {
            assertFalse(top.anyMatch(p -> p.getFileName().toString().startsWith("sqlite-")), "stale extractions removed");
        }
        try (Stream<Path> lib = Files.list(data.resolve("native"))) {
            List<Path> copies = lib.toList();
            assertEquals(1, copies.size(), copies.toString());
            assertEquals("rwx------", mode(copies.get(0)));
        }
    }
}

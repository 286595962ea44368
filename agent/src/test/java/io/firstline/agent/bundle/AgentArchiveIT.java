package io.firstline.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent archive as an admin uses it: unpacked somewhere else than where
 * it was built, started through {@code bin/firstline-agent} from yet another
 * directory, on its own runtime and class-data archive.
 */
class AgentArchiveIT {
    @TempDir
    static Path dir;
    static Path home;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("firstline.agentArchive", "missing-firstline.agentArchive"));
        assertTrue(Files.isRegularFile(archive), "agent archive not found: " + archive + " (run ./mvnw verify)");
        Path into = dir.resolve("unpacked");
        Files.createDirectories(into);
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", into.toString()).inheritIO().start();
        assertTrue(tar.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, tar.exitValue());
        home = into.resolve("firstline-agent");
    }

    /** Runs the launcher from {@code cwd} with JAVA_HOME pointing nowhere: only the archive's runtime may be used. */
    static Run run(Path launcherHome, Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcherHome.resolve("bin/firstline-agent").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("JAVA_HOME", "/nonexistent-java-home");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the agent did not finish: " + cmd);
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<String> errorLines(Run r) {
        // The collectors' INFO lines about what this host lacks are not errors.
        return r.err().lines().filter(l -> !l.contains(" INFO ")).toList();
    }

    @Test
    void holdsALauncherATrimmedRuntimeTheClassDataArchiveAndTheNotices() throws IOException {
        assertTrue(Files.isExecutable(home.resolve("bin/firstline-agent")));
        assertTrue(Files.isExecutable(home.resolve("runtime/bin/java")));
        assertTrue(Files.isRegularFile(home.resolve("lib/firstline-agent.jar")));
        assertTrue(Files.size(home.resolve("lib/firstline-agent.jsa")) > 1_000_000);
        // The JDK keeps an open jar's whole central directory on the heap: no library the agent does not run.
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(home.resolve("lib/firstline-agent.jar").toFile())) {
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("org/bouncycastle/")), "no BouncyCastle in the agent jar");
        }
        String release = Files.readString(home.resolve("runtime/release"));
        String modules = release.lines().filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
        for (String needed : List.of("java.base", "java.logging", "jdk.crypto.ec", "jdk.unsupported")) {
            assertTrue(modules.contains(needed + " ") || modules.contains(needed + "\""), needed + " in " + modules);
        }
        for (String unneeded : List.of("java.compiler", "jdk.jshell", "jdk.compiler", "java.scripting", "jdk.httpserver",
                "jdk.jfr", "java.management", "java.desktop", "java.sql")) {
            assertFalse(modules.contains(unneeded), unneeded + " in " + modules);
        }
        assertFalse(Files.exists(home.resolve("runtime/include")), "no header files");
        assertFalse(Files.exists(home.resolve("runtime/man")), "no man pages");
        assertFalse(Files.exists(home.resolve("runtime/bin/javac")));
        String notices = Files.readString(home.resolve("legal/THIRD-PARTY-NOTICES.txt"));
        for (String lib : List.of("io.netty:netty-handler", "com.github.oshi:oshi-core",
                "com.google.protobuf:protobuf-java", "info.picocli:picocli", "net.java.dev.jna:jna-jpms")) {
            assertTrue(notices.contains(lib + " "), lib + " in the notices:\n" + notices);
        }
        assertFalse(notices.contains(": \n"), "every library has a licence:\n" + notices);
        assertTrue(Files.isDirectory(home.resolve("runtime/legal/java.base")));
    }

    @Test
    void collectOnceAsJsonFromTheArchivesOwnRuntimeAndClassData() throws Exception {
        // -Xshare:on makes the JVM fail instead of silently loading classes itself
        // if the class-data archive did not match the unpacked archive.
        Run r = run(home, dir, Map.of("FIRSTLINE_JAVA_OPTS", "-Xshare:on -XshowSettings:properties"), "collect", "--once", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("java.home = " + home.resolve("runtime")), "runs on the archive's runtime:\n" + r.err());
        JsonNode snapshot = new ObjectMapper().readTree(r.out());
        assertTrue(snapshot.path("host").path("logicalCpus").asInt() > 0, r.out());
        assertTrue(snapshot.path("collectors").size() > 5, r.out());
        assertFalse(r.err().contains("class-data archive"), r.err());
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() throws Exception {
        Run unknown = run(home, dir, Map.of(), "collect", "--once", "--bogus");
        assertEquals(2, unknown.exit(), unknown.err());
        assertEquals(1, errorLines(unknown).size(), unknown.err());
        assertTrue(unknown.err().contains("--bogus"), unknown.err());

        Run noState = run(home, dir, Map.of(), "run", "--console", "127.0.0.1:1", "--state-dir", "no-such-state");
        assertEquals(2, noState.exit(), noState.err());
        assertEquals(List.of("firstline-agent run: state directory " + dir.resolve("no-such-state")
                + " does not exist; run 'firstline-agent enroll --console HOST:7443 --token-file FILE --ca-fingerprint SHA256"
                + " --state-dir " + dir.resolve("no-such-state") + "' first"), errorLines(noState),
                "a relative state directory is the caller's, not the archive's");

        Path unreadable = dir.resolve("agent-conf-dir");
        Files.createDirectories(unreadable);
        Run badConfig = run(home, dir, Map.of(), "collect", "--once", "--config", "agent-conf-dir");
        assertEquals(2, badConfig.exit(), badConfig.err());
        assertEquals(1, errorLines(badConfig).size(), badConfig.err());
        assertTrue(badConfig.err().contains(unreadable.toString()), badConfig.err());
    }

    @Test
    void aDamagedClassDataArchiveIsSaidOnceAndTheAgentStillRuns() throws Exception {
        Path copy = dir.resolve("damaged/firstline-agent");
        Files.createDirectories(copy.getParent());
        Process cp = new ProcessBuilder("cp", "-a", home.toString(), copy.toString()).inheritIO().start();
        assertTrue(cp.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, cp.exitValue());
        try (RandomAccessFile f = new RandomAccessFile(copy.resolve("lib/firstline-agent.jsa").toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write("damaged!".getBytes(StandardCharsets.US_ASCII));
        }
        Run r = run(copy, dir, Map.of(), "collect", "--once", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(new ObjectMapper().readTree(r.out()).path("collectors").size() > 5, r.out());
        List<String> said = r.err().lines().filter(l -> l.contains("class-data archive")).toList();
        assertEquals(1, said.size(), r.err());
        assertTrue(said.get(0).contains("damaged; starting without it"), said.get(0));
    }
}

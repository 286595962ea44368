package io.firstline.console.install;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.firstline.console.TestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** What the install tests share: root, running scripts, scratch roots and what they hold. */
final class InstallSupport {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private InstallSupport() {
    }

    /** The install scripts change users, owners and modes: skipped when not root, a failure in CI (which runs as root). */
    static void requireRoot() {
        if ("root".equals(System.getProperty("user.name"))) {
            return;
        }
        String message = "the install tests need root (they make users and chown files); test skipped";
        if (System.getenv(TestSupport.REQUIRE_TOOLS) != null) {
            fail(message.replace("test skipped", TestSupport.REQUIRE_TOOLS + " is set, so this is a failure"));
        }
        Assumptions.abort(message);
    }

    record Run(int exit, String out, String err) {
        String both() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Runs a command to its end (at most {@code seconds}), stdin from {@code stdin} (null: none). */
    static Run run(List<String> command, String stdin, int seconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Path out = Files.createTempFile("firstline-run", ".out");
        Path err = Files.createTempFile("firstline-run", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("did not finish in " + seconds + " s: " + command);
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** A scratch root others may search (0755), as / is: the agent runs in it as an unprivileged user. */
    static Path scratchRoot(String name) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), name);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Every path under {@code dir} with its type, mode, owner, group, size and modification time: what "changes nothing" compares. */
    static TreeMap<String, String> snapshot(Path dir) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String what = (a.isSymbolicLink() ? "link->" + Files.readSymbolicLink(p) : a.isDirectory() ? "dir" : "file " + a.size())
                        + " " + PosixFilePermissions.toString(a.permissions()) + " " + a.owner().getName() + ":" + a.group().getName()
                        + " " + a.lastModifiedTime().toMillis();
                m.put(dir.relativize(p).toString(), what);
            }
        }
        return m;
    }

    static String mode(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return PosixFilePermissions.toString(a.permissions()) + " " + a.owner().getName() + ":" + a.group().getName();
    }

    static boolean userExists(String name) throws IOException, InterruptedException {
        return run(List.of("getent", "passwd", name), null, 10).exit() == 0;
    }

    /** The one line a failing script prints: its message on stderr, exactly one line. */
    static String oneLineError(Run r) {
        assertTrue(r.exit() != 0, "expected a failure: " + r.both());
        List<String> lines = new ArrayList<>(r.err().lines().filter(l -> !l.isBlank()).toList());
        assertTrue(lines.size() == 1, "expected one line on stderr: " + r.both());
        return lines.get(0);
    }
}

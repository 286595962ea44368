package io.firstline.console.install;

import static io.firstline.console.install.InstallSupport.deleteTree;
import static io.firstline.console.install.InstallSupport.mode;
import static io.firstline.console.install.InstallSupport.run;
import static io.firstline.console.install.InstallSupport.snapshot;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.TestSupport;
import io.firstline.console.install.InstallSupport.Run;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * install/console/install.sh for real, as root, into a scratch root: the
 * layout and modes, the console run from there as {@code firstline-console}
 * with the unit's command line, ready, serving the agent install from its
 * install directory, and keeping every data file from other users; a re-run
 * that changes nothing; uninstall and purge.
 */
class ConsoleInstallIT {
    static final Path SCRIPT = InstallSupport.REPO.resolve("install/console/install.sh");

    @Test
    void installRunRerunAndRemoveForReal() throws Exception {
        InstallSupport.requireRoot();
        boolean madeUser = !InstallSupport.userExists("firstline-console");
        Path root = InstallSupport.scratchRoot("firstline-console-root");
        Path jar = Path.of(System.getProperty("firstline.consoleJar"));
        Path archive = Path.of(System.getProperty("firstline.agentArchive"));
        Process console = null;
        try {
            List<String> install = List.of("sh", SCRIPT.toString(), "--jar", jar.toString(), "--agent-archive", archive.toString(),
                    "--root", root.toString(), "--no-start");
            Run first = run(install, null, 120);
            assertEquals(0, first.exit(), first.both());
            Path prefix = root.resolve("opt/firstline-console");
            Path data = root.resolve("var/lib/firstline-console");
            assertTrue(Files.isExecutable(prefix.resolve("bin/firstline-console")));
            assertEquals(Files.size(jar), Files.size(prefix.resolve("lib/firstline-console.jar")));
            assertEquals("rw-r----- root:firstline-console", mode(root.resolve("etc/firstline/console.yaml")));
            assertEquals("rwx------ firstline-console:firstline-console", mode(data));
            assertEquals(Files.readString(UnitHardeningTest.CONSOLE_UNIT),
                    Files.readString(root.resolve("etc/systemd/system/firstline-console.service")));
            assertTrue(Files.isSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/firstline-console.service")));

            // The console as the unit runs it, as its user, with the data directory and ports moved for the test.
            String unit = Files.readString(root.resolve("etc/systemd/system/firstline-console.service"));
            String exec = AgentInstallIT.value(unit, "ExecStart");
            int http = TestSupport.freePort();
            int agents = TestSupport.freePort();
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=firstline-console", "--regid=firstline-console",
                    "--init-groups", "--"));
            for (String word : exec.split(" +")) {
                cmd.add(word.startsWith("/") ? root + word : word);
            }
            cmd.addAll(List.of("--data", data.toString(), "--http-port", String.valueOf(http), "--agent-port", String.valueOf(agents)));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve("console.log").toFile());
            pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            pb.environment().put("JAVA_OPTS", "-Xmx256m");
            console = pb.start();
            String base = "http://127.0.0.1:" + http;
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> TestSupport.get(base + "/healthz").status() == 200);
            assertEquals("firstline-console", console.info().user().orElse(""));
            // Installed, it serves the agent install from its install directory.
            TestSupport.Response sum = TestSupport.get(base + "/install/firstline-agent-linux-x64.tar.gz.sha256");
            assertEquals(200, sum.status(), sum.body() + "\n" + Files.readString(root.resolve("console.log")));
            assertEquals(AgentInstallIT.sha256(archive) + "  firstline-agent-linux-x64.tar.gz\n", sum.body());
            assertEquals(200, TestSupport.get(base + "/install/agent.sh").status());
            // The store, CA, tokens and admin login: nothing there for other users.
            assertTrue(Files.exists(data.resolve("firstline.db")));
            assertTrue(Files.exists(data.resolve("initial-admin-password")));
            try (Stream<Path> files = Files.walk(data)) {
                for (Path p : files.toList()) {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                    assertTrue(perms.stream().noneMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS")),
                            p + " is " + mode(p));
                }
            }
            assertEquals("rw------- firstline-console:firstline-console", mode(data.resolve("firstline.db")));
            console.destroy();
            console.waitFor();

            TreeMap<String, String> before = snapshot(root);
            Run again = run(install, null, 120);
            assertEquals(0, again.exit(), again.both());
            assertTrue(again.out().contains("nothing changed"), again.both());
            assertEquals(before, snapshot(root), "a re-run changed the installation");

            Run remove = run(List.of("sh", SCRIPT.toString(), "--uninstall", "--root", root.toString()), null, 60);
            assertEquals(0, remove.exit(), remove.both());
            assertFalse(Files.exists(prefix));
            assertTrue(Files.exists(data.resolve("firstline.db")), "uninstall keeps the data");
            Run purge = run(List.of("sh", SCRIPT.toString(), "--uninstall", "--purge", "--root", root.toString()), null, 60);
            assertEquals(0, purge.exit(), purge.both());
            assertFalse(Files.exists(data) || Files.exists(root.resolve("etc/firstline")));
        } finally {
            if (console != null) {
                console.destroyForcibly().waitFor();
            }
            deleteTree(root);
            if (madeUser && InstallSupport.userExists("firstline-console")) {
                run(List.of("userdel", "firstline-console"), null, 30);
            }
        }
    }
}

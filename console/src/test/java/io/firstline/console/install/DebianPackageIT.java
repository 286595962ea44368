package io.firstline.console.install;

import static io.firstline.console.install.InstallSupport.deleteTree;
import static io.firstline.console.install.InstallSupport.mode;
import static io.firstline.console.install.InstallSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.TestSupport;
import io.firstline.console.install.InstallSupport.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install/debian/build-debs.sh builds both packages with dpkg-deb; dpkg
 * installs them for real into a scratch root (its maintainer scripts run with
 * DPKG_ROOT, as dpkg --root --force-script-chrootless does): users, private
 * directories, configuration and the enabled units as the install scripts
 * make them; remove keeps data and configuration, purge removes them.
 */
class DebianPackageIT {
    static final Path BUILD = InstallSupport.REPO.resolve("install/debian/build-debs.sh");

    @TempDir
    Path out;

    @Test
    void bothPackagesBuildAndInstallAndPurge() throws Exception {
        TestSupport.requireTool("dpkg-deb", "dpkg");
        Run build = run(List.of("sh", BUILD.toString(), out.toString()), null, 300);
        assertEquals(0, build.exit(), build.both());
        List<String> debs = build.out().lines().toList();
        assertEquals(2, debs.size(), build.both());
        Path agent = Path.of(debs.stream().filter(d -> d.contains("/firstline-agent_")).findFirst().orElseThrow());
        Path console = Path.of(debs.stream().filter(d -> d.contains("/firstline-console_")).findFirst().orElseThrow());

        Run info = run(List.of("dpkg-deb", "--info", console.toString()), null, 60);
        assertTrue(info.out().contains("Package: firstline-console") && info.out().contains("Depends: default-jre-headless"), info.out());
        Run contents = run(List.of("dpkg-deb", "--contents", agent.toString()), null, 60);
        for (String f : List.of("./lib/systemd/system/firstline-agent.service", "./opt/firstline-agent/current -> releases/deb",
                "./opt/firstline-agent/releases/deb/bin/firstline-agent", "./opt/firstline-agent/releases/deb/lib/firstline-agent.jar")) {
            assertTrue(contents.out().contains(f), f + " missing from " + contents.out());
        }
        assertTrue(contents.out().lines().allMatch(l -> l.contains(" root/root ")), "every file root-owned: " + contents.out());

        InstallSupport.requireRoot();
        boolean madeAgentUser = !InstallSupport.userExists("firstline");
        boolean madeConsoleUser = !InstallSupport.userExists("firstline-console");
        Path root = InstallSupport.scratchRoot("firstline-dpkg");
        try {
            Files.createDirectories(root.resolve("var/lib/dpkg/info"));
            Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
            Files.createFile(root.resolve("var/lib/dpkg/status"));
            List<String> dpkg = List.of("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends",
                    "--force-not-root", "--log=" + root.resolve("dpkg.log"));
            Run install = run(concat(dpkg, "-i", agent.toString(), console.toString()), null, 300);
            assertEquals(0, install.exit(), install.both());
            assertTrue(install.out().contains("installed, not enrolled yet"), install.both());
            assertEquals("rw-r----- root:firstline", mode(root.resolve("etc/firstline/agent.conf")));
            assertEquals("rwx------ firstline:firstline", mode(root.resolve("var/lib/firstline-agent")));
            assertEquals("rw-r----- root:firstline-console", mode(root.resolve("etc/firstline/console.yaml")));
            assertEquals("rwx------ firstline-console:firstline-console", mode(root.resolve("var/lib/firstline-console")));
            assertEquals(Files.readString(UnitHardeningTest.AGENT_UNIT), Files.readString(root.resolve("lib/systemd/system/firstline-agent.service")));
            assertTrue(Files.isSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/firstline-console.service")));
            Run version = run(List.of(root.resolve("opt/firstline-agent/current/bin/firstline-agent").toString(), "--version"), null, 60);
            assertEquals(0, version.exit(), version.both());

            Files.writeString(root.resolve("var/lib/firstline-agent/agent-id"), "agent-from-test\n");
            Run remove = run(concat(dpkg, "-r", "firstline-agent"), null, 120);
            assertEquals(0, remove.exit(), remove.both());
            assertFalse(Files.exists(root.resolve("opt/firstline-agent/current")));
            assertTrue(Files.exists(root.resolve("var/lib/firstline-agent/agent-id")), "remove keeps the identity");
            Run purge = run(concat(dpkg, "-P", "firstline-agent", "firstline-console"), null, 120);
            assertEquals(0, purge.exit(), purge.both());
            assertTrue(purge.out().contains("revoke agent agent-from-test"), purge.both());
            assertFalse(Files.exists(root.resolve("var/lib/firstline-agent")) || Files.exists(root.resolve("var/lib/firstline-console"))
                    || Files.exists(root.resolve("etc/firstline")) || Files.exists(root.resolve("opt/firstline-console/lib")));
        } finally {
            deleteTree(root);
            if (madeAgentUser && InstallSupport.userExists("firstline")) {
                run(List.of("userdel", "firstline"), null, 30);
            }
            if (madeConsoleUser && InstallSupport.userExists("firstline-console")) {
                run(List.of("userdel", "firstline-console"), null, 30);
            }
        }
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(more));
        return all;
    }
}

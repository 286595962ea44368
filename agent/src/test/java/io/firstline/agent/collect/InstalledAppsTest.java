package io.firstline.agent.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import oshi.software.os.ApplicationInfo;

/**
 * The agent's own package list gives the same inventory items as OSHI's,
 * which it replaces on Linux: on a fixture (OSHI's parser as the oracle) and
 * on this machine's real package database.
 */
class InstalledAppsTest {

    @SuppressWarnings("unchecked")
    private static List<ApplicationInfo> oshiParse(List<String> lines) throws Exception {
        Method m = Class.forName("oshi.software.common.os.linux.LinuxInstalledApps").getDeclaredMethod("parseLinuxAppInfo", List.class);
        m.setAccessible(true);
        return (List<ApplicationInfo>) m.invoke(null, lines);
    }

    @Test
    void parsesDpkgQueryLinesAsOshiDoes() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/fixtures/dpkg-query.txt"));
        List<InstalledApps.App> apps = InstalledApps.parse(lines);
        assertEquals(List.of(
                new InstalledApps.App("adduser", "3.134", "Debian Adduser Developers <adduser@packages.debian.org>"),
                new InstalledApps.App("libc6", "2.36-9+deb12u10", "GNU Libc Maintainers <debian-glibc@lists.debian.org>"),
                new InstalledApps.App("libc6", "2.36-9+deb12u10", "GNU Libc Maintainers <debian-glibc@lists.debian.org>"),
                new InstalledApps.App("zlib1g", "1:1.2.13.dfsg-1", "unknown"),
                new InstalledApps.App("unknown", "0.1", "Nobody")), apps,
                "the repeated line is one package, the two architectures two, the short line none");
        assertEquals(InventoryReader.apps(oshiParse(lines)), InventoryReader.appItems(apps));
    }

    @Test
    void theInventoryOfThisMachinesPackagesIsOshis() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
        List<InstalledApps.App> ours = InstalledApps.read();
        assumeTrue(!ours.isEmpty(), "no dpkg or rpm on this machine");
        List<InventoryReader.Item> theirs = InventoryReader.apps(new HostProbe().os().getInstalledApplications());
        assertEquals(theirs, InventoryReader.appItems(ours));
    }
}

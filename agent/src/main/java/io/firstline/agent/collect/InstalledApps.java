package io.firstline.agent.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The installed packages of a Linux machine, from the package manager, as
 * OSHI's {@code LinuxInstalledApps} reads them (the same commands, fields and
 * rules, so the inventory is unchanged) but kept by nobody: OSHI memoizes the
 * list for a day inside its {@code OperatingSystem}, about a megabyte of heap
 * on a desktop with a thousand packages, for an inventory read once an hour.
 */
final class InstalledApps {
    /** One package: name, version and vendor (the maintainer or packager). */
    record App(String name, String version, String vendor) {
    }

    static final List<String> DPKG = List.of("dpkg-query", "-W",
            "-f=${Package}|${Version}|${Architecture}|${Installed-Size}|${db-fsys:Last-Modified}|${Maintainer}|${Source}|${Homepage}\\n");
    static final List<String> RPM = List.of("rpm", "-qa", "--queryformat",
            "%{NAME}|%{VERSION}-%{RELEASE}|%{ARCH}|%{SIZE}|%{INSTALLTIME}|%{PACKAGER}|%{SOURCERPM}|%{URL}\\n");
    private static final String UNKNOWN = "unknown";

    private InstalledApps() {
    }

    /** The packages dpkg or else rpm lists; empty if neither is installed or answers. */
    static List<App> read() throws InterruptedException {
        for (List<String> command : List.of(DPKG, RPM)) {
            List<String> lines = run(command);
            if (!lines.isEmpty()) {
                return parse(lines);
            }
        }
        return List.of();
    }

    /**
     * Lines of {@code name|version|arch|size|time|vendor|source|homepage}; a line
     * with fewer than eight fields is skipped, an empty field is
     * {@code unknown}, and lines that are the same package are one.
     */
    static List<App> parse(List<String> lines) {
        Set<List<String>> seen = new LinkedHashSet<>();
        List<App> apps = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\\|", -1);
            if (f.length < 8) {
                continue;
            }
            List<String> key = new ArrayList<>(8);
            for (int i = 0; i < 8; i++) {
                key.add(f[i].isEmpty() ? UNKNOWN : f[i]);
            }
            if (seen.add(key)) {
                apps.add(new App(key.get(0), key.get(1), key.get(5)));
            }
        }
        return apps;
    }

    private static List<String> run(List<String> command) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return List.of(); // not installed
        }
        try {
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            return text.lines().toList();
        } catch (IOException e) {
            return List.of();
        } finally {
            p.destroy();
        }
    }
}

package io.firstline.agent.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Locale;
import oshi.software.os.OSService;
import oshi.software.os.OperatingSystem;

/**
 * Services that should run and do not. On Linux with systemd: the failed
 * units ({@code systemctl list-units --state=failed}), which is one short
 * command instead of OSHI's full unit listing. On Windows: the stopped
 * services OSHI lists ({@link OperatingSystem#getServices}; OSHI does not say
 * which start automatically, so this counts every stopped service). Runs on a
 * slower schedule (every minute by default).
 */
final class ServicesCollector implements Collector {
    static final Path SYSTEMD_RUNTIME = Path.of("/run/systemd/system");
    static final int MAX_NAMES_TEXT = 300;
    private static final List<String> SYSTEMCTL = List.of("systemctl", "list-units", "--state=failed",
            "--no-legend", "--plain", "--no-pager", "--full");

    private final OperatingSystem os;
    private final String platform;

    ServicesCollector(HostProbe probe) {
        this.os = probe.os();
        this.platform = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public void collect(MetricWriter out) throws IOException, InterruptedException {
        List<String> failed;
        if (platform.startsWith("linux")) {
            if (!Files.isDirectory(SYSTEMD_RUNTIME)) {
                throw new UnsupportedOperationException("systemd is not running on this host");
            }
            failed = parseFailedUnits(systemctl());
        } else if (platform.startsWith("windows")) {
            failed = stopped(os.getServices());
        } else {
            throw new UnsupportedOperationException("no service manager support on " + platform);
        }
        out.value("services.failed", failed.size());
        out.text("services.failed_names", "", joinCapped(failed));
    }

    private static String systemctl() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(SYSTEMCTL).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("systemctl did not finish in 10 s");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("systemctl exited " + p.exitValue() + ": " + text.strip());
        }
        return text;
    }

    /**
     * Unit names from {@code systemctl list-units --state=failed --no-legend
     * --plain}: one unit per line, the name first. Older systemd versions put
     * a "●" marker before the name even with {@code --plain}. The name ends
     * at the first white space, a tab as well as a space.
     */
    static List<String> parseFailedUnits(String text) {
        List<String> units = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("●") || l.startsWith("*")) {
                l = l.substring(1).strip();
            }
            if (l.isEmpty()) {
                continue;
            }
            units.add(l.split("\\s+", 2)[0]);
        }
        return units;
    }

    static List<String> stopped(List<OSService> services) {
        return services.stream().filter(s -> s.getState() == OSService.State.STOPPED).map(OSService::getName).sorted().toList();
    }

    static String joinCapped(List<String> names) {
        String s = String.join(",", names);
        return s.length() > MAX_NAMES_TEXT ? s.substring(0, MAX_NAMES_TEXT) : s;
    }
}

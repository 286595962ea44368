package io.firstline.agent.diagnose;

import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.collect.LinuxMounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSProcess;

/** Top processes, interfaces, mounts and service status: read-only views of the host. */
final class HostTables {
    static final int TOP = 15;

    private final HostProbe probe;

    HostTables(HostProbe probe) {
        this.probe = probe;
    }

    /** Top processes by CPU over half a second, and by resident memory. */
    void topProcesses(Job job, CappedOutput out) throws Exception {
        List<OSProcess> before = probe.os().getProcesses();
        Map<Integer, OSProcess> prior = new HashMap<>();
        before.forEach(p -> prior.put(p.getProcessID(), p));
        Thread.sleep(Math.min(500, job.millisLeft() / 2));
        job.checkTime();
        List<OSProcess> now = probe.os().getProcesses();
        record Row(OSProcess p, double cpu) {
        }
        List<Row> rows = new ArrayList<>();
        for (OSProcess p : now) {
            OSProcess was = prior.get(p.getProcessID());
            rows.add(new Row(p, was == null ? 0 : 100 * p.getProcessCpuLoadBetweenTicks(was)));
        }
        int cpus = Math.max(1, probe.hardware().getProcessor().getLogicalProcessorCount());
        long total = probe.hardware().getMemory().getTotal();
        out.line("# top %d by CPU (%% of one core, over 0.5 s; %d logical CPUs)", TOP, cpus);
        out.line("%8s %7s %10s %-12s %s", "pid", "cpu%", "rss", "user", "command");
        rows.sort(Comparator.comparingDouble(Row::cpu).reversed());
        for (Row r : rows.subList(0, Math.min(TOP, rows.size()))) {
            line(out, r.p(), r.cpu());
        }
        out.line("");
        out.line("# top %d by resident memory (of %s)", TOP, DiskUsage.human(total));
        out.line("%8s %7s %10s %-12s %s", "pid", "cpu%", "rss", "user", "command");
        rows.sort(Comparator.comparingLong((Row r) -> r.p().getResidentMemory()).reversed());
        for (Row r : rows.subList(0, Math.min(TOP, rows.size()))) {
            line(out, r.p(), r.cpu());
        }
        rows.sort(Comparator.comparingDouble(Row::cpu).reversed());
        out.summary("processes", rows.size());
        if (!rows.isEmpty()) {
            out.summary("top_cpu", rows.get(0).p().getName());
            out.message(rows.size() + " processes; busiest " + rows.get(0).p().getName() + " ("
                    + String.format(java.util.Locale.ROOT, "%.0f %%", rows.get(0).cpu()) + ")");
        }
    }

    private static void line(CappedOutput out, OSProcess p, double cpu) {
        String cmd = p.getCommandLine().isBlank() ? "[" + p.getName() + "]" : p.getCommandLine();
        out.line("%8d %7.1f %10s %-12s %s", p.getProcessID(), cpu, DiskUsage.human(p.getResidentMemory()), p.getUser(),
                io.firstline.text.PlainText.oneLine(cmd.length() > 200 ? cmd.substring(0, 200) + "…" : cmd));
    }

    void interfaces(Job job, CappedOutput out) {
        List<NetworkIF> nics = probe.hardware().getNetworkIFs(true);
        long withErrors = 0;
        for (NetworkIF n : nics) {
            n.updateAttributes();
            out.line("%s (%s) %s mtu %d speed %s mac %s", n.getName(), n.getDisplayName(), n.getIfOperStatus(), n.getMTU(),
                    n.getSpeed() > 0 ? n.getSpeed() / 1_000_000 + " Mb/s" : "unknown", n.getMacaddr());
            out.line("  inet %s  inet6 %s", String.join(", ", n.getIPv4addr()), String.join(", ", n.getIPv6addr()));
            out.line("  rx %d bytes %d packets %d errors %d drops | tx %d bytes %d packets %d errors | collisions %d",
                    n.getBytesRecv(), n.getPacketsRecv(), n.getInErrors(), n.getInDrops(), n.getBytesSent(), n.getPacketsSent(),
                    n.getOutErrors(), n.getCollisions());
            if (n.getInErrors() + n.getOutErrors() + n.getInDrops() > 0) {
                withErrors++;
            }
        }
        out.summary("interfaces", nics.size());
        out.summary("with_errors", withErrors);
        out.message(nics.size() + " interface(s), " + withErrors + " with errors or drops");
    }

    /** Mounted file systems with their options; with a path, the one mount that holds it. */
    void mounts(Job job, CappedOutput out) throws Exception {
        List<LinuxMounts.Mount> all = LinuxMounts.parseMountInfo(Files.readAllLines(LinuxMounts.MOUNTINFO));
        String path = job.param("path");
        List<LinuxMounts.Mount> shown = all;
        if (!path.isEmpty()) {
            Path p = Path.of(path);
            shown = all.stream().filter(m -> p.startsWith(m.mountPoint()))
                    .max(Comparator.comparingInt((LinuxMounts.Mount m) -> m.mountPoint().length())).map(List::of).orElse(List.of());
        }
        for (LinuxMounts.Mount m : shown) {
            out.line("%s on %s type %s (%s)%s", m.device(), m.mountPoint(), m.type(), m.options(), m.readOnly() ? " READ-ONLY" : "");
        }
        long ro = shown.stream().filter(LinuxMounts.Mount::readOnly).count();
        out.summary("mounts", shown.size());
        out.summary("read_only", ro);
        out.message(path.isEmpty() ? shown.size() + " mount(s), " + ro + " read-only"
                : shown.isEmpty() ? "no mount holds " + path
                : path + " is on " + shown.get(0).mountPoint() + " (" + shown.get(0).type() + ", " + (ro > 0 ? "read-only" : "read-write") + ")");
    }

    /** {@code systemctl status UNIT}, or the failed units when none is named. */
    static void serviceStatus(Job job, CappedOutput out) throws Exception {
        Path systemctl = Tools.find("systemctl").orElseThrow(() -> new Unsupported("no systemctl on this machine"));
        String unit = job.param("unit");
        List<String> args = unit.isEmpty()
                ? List.of("--no-pager", "--no-ask-password", "--plain", "list-units", "--failed")
                : List.of("--no-pager", "--no-ask-password", "--lines=20", "status", "--", unit);
        Command.Exit exit = Command.run(job, systemctl, args, out);
        out.summary("exit_status", exit.status());
        // systemctl status: 0 active, 3 inactive/failed, 4 no such unit
        out.message(unit.isEmpty() ? "failed units listed" : unit + ": " + switch (exit.status()) {
            case 0 -> "active";
            case 3 -> "not active";
            case 4 -> "no such unit";
            default -> "systemctl exit status " + exit.status();
        });
    }
}

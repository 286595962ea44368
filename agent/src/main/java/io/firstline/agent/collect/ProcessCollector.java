package io.firstline.agent.collect;

import io.firstline.agent.collect.ProcessTable.Proc;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Process and thread counts, zombies, and the top five processes by CPU and
 * by memory (name, pid, user, CPU share of the whole machine, resident
 * memory). Runs on a slower schedule (every 30 s by default). CPU shares are
 * measured between this run and the last from each process's own CPU time,
 * so the first run ranks by memory only. Resources are ranks ("cpu1".."cpu5",
 * "mem1".."mem5"), so the series dictionary stays the same size however
 * processes come and go.
 */
final class ProcessCollector implements Collector {
    static final int TOP = 5;

    /** One ranked process. */
    record Top(Proc proc, double cpuRatio) {
    }

    private final ProcessTable table;
    private Map<Integer, Long> previousCpu = Map.of();
    private long previousClock = -1;

    ProcessCollector(HostProbe probe) {
        this(LinuxProcessTable.available(Path.of("/proc"))
                ? new LinuxProcessTable(Path.of("/proc"), PageSize.linux())
                : new OshiProcessTable(probe.os(), probe.hardware().getProcessor().getLogicalProcessorCount()));
    }

    ProcessCollector(ProcessTable table) {
        this.table = table;
    }

    @Override
    public void collect(MetricWriter out) throws Exception {
        long clock = table.cpuClock();
        List<Proc> all = table.list();
        long threads = 0;
        int zombies = 0;
        Map<Integer, Long> cpu = new HashMap<>(all.size() * 2);
        for (Proc p : all) {
            threads += p.threads();
            zombies += p.zombie() ? 1 : 0;
            cpu.put(p.pid(), p.cpuTime());
        }
        out.value("processes.count", all.size());
        out.value("processes.threads", threads);
        out.value("processes.zombies", zombies);
        long dClock = clock - previousClock;
        List<Top> tops = all.stream().map(p -> new Top(p, share(p, dClock))).toList();
        if (previousClock >= 0 && dClock > 0) {
            write(out, "cpu", rank(tops, Comparator.comparingDouble(t -> Double.isNaN(t.cpuRatio) ? 0 : t.cpuRatio)));
        }
        write(out, "mem", rank(tops, Comparator.comparingLong(t -> t.proc.rssBytes())));
        previousCpu = cpu;
        previousClock = clock;
    }

    private double share(Proc p, long dClock) {
        Long before = previousCpu.get(p.pid());
        if (before == null || dClock <= 0 || p.cpuTime() < before) {
            return Double.NaN;
        }
        return Math.min(1, (double) (p.cpuTime() - before) / dClock);
    }

    static List<Top> rank(List<Top> tops, Comparator<Top> by) {
        return tops.stream().sorted(by.reversed().thenComparingInt(t -> t.proc.pid())).limit(TOP).toList();
    }

    private void write(MetricWriter out, String prefix, List<Top> ranked) {
        for (int i = 0; i < ranked.size(); i++) {
            Top t = ranked.get(i);
            String slot = prefix + (i + 1);
            out.text("process.name", slot, t.proc.name());
            out.text("process.user", slot, table.user(t.proc.pid()));
            out.value("process.pid", slot, t.proc.pid());
            out.value("process.cpu_ratio", slot, t.cpuRatio);
            out.value("process.rss_bytes", slot, t.proc.rssBytes());
        }
    }
}

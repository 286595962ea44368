package io.firstline.agent.collect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Processes straight from Linux's {@code /proc}: one small read of
 * {@code /proc/PID/stat} per process, against OSHI's several files and
 * objects per process; CPU in clock ticks against the machine's total ticks
 * from the first line of {@code /proc/stat}.
 */
final class LinuxProcessTable implements ProcessTable {
    private final Path proc;
    private final long pageSize;

    LinuxProcessTable(Path proc, long pageSize) {
        this.proc = proc;
        this.pageSize = pageSize;
    }

    static boolean available(Path proc) {
        return Files.isReadable(proc.resolve("self/stat")) && Files.isReadable(proc.resolve("stat"));
    }

    @Override
    public List<Proc> list() throws IOException {
        List<Proc> out = new ArrayList<>(256);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                try {
                    Proc p = parseStat(Files.readString(dir.resolve("stat")), pageSize);
                    if (p != null) {
                        out.add(p);
                    }
                } catch (NoSuchFileException e) {
                    // the process ended while we listed
                } catch (IOException e) {
                    // ended, or not ours to read: skip it
                }
            }
        }
        return out;
    }

    @Override
    public long cpuClock() throws IOException {
        return parseTotalTicks(Files.readString(proc.resolve("stat")));
    }

    @Override
    public String user(int pid) {
        try {
            return Files.getOwner(proc.resolve(Integer.toString(pid))).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code /proc/PID/stat}: {@code pid (comm) state ppid ...} where
     * comm may itself hold spaces and parentheses, so fields are counted from
     * the last ')'. utime and stime are fields 14 and 15, num_threads 20,
     * rss (pages) 24. Returns null for text that is not a stat line.
     */
    static Proc parseStat(String text, long pageSize) {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String[] f = text.substring(close + 1).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3].
        if (f.length < 22) {
            return null;
        }
        String file = "/proc/PID/stat";
        try {
            int pid = ProcFormat.smallCounter(text.substring(0, open).trim(), file);
            long cpu = ProcFormat.plus(ProcFormat.counter(f[14 - 3], file), ProcFormat.counter(f[15 - 3], file), file);
            return new Proc(pid, text.substring(open + 1, close), f[0].equals("Z"), cpu,
                    ProcFormat.smallCounter(f[20 - 3], file), ProcFormat.times(ProcFormat.counter(f[24 - 3], file), pageSize, file));
        } catch (IllegalStateException notAStatLine) {
            return null;
        }
    }

    /** Sum of the columns of the aggregate "cpu" line of {@code /proc/stat}, in clock ticks. */
    static long parseTotalTicks(String procStat) {
        int end = procStat.indexOf('\n');
        String first = end < 0 ? procStat : procStat.substring(0, end);
        if (!first.startsWith("cpu ")) {
            throw new IllegalStateException("/proc/stat does not start with the cpu line");
        }
        String[] f = first.substring(4).trim().split("\\s+");
        long total = 0;
        // user nice system idle iowait irq softirq steal; guest columns are already inside user and nice.
        for (int i = 0; i < Math.min(8, f.length); i++) {
            total = ProcFormat.plus(total, ProcFormat.counter(f[i], "/proc/stat"), "/proc/stat");
        }
        return total;
    }
}

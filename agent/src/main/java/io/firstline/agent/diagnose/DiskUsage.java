package io.firstline.agent.diagnose;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The largest directories and files under a path: a walk that never follows a
 * symbolic link, stays on the path's file system, stops at
 * {@value #MAX_ENTRIES} entries or the deadline (the result says which), and
 * refuses a path whose real location is outside the allowed roots (a link
 * cannot lead out of them).
 */
final class DiskUsage {
    static final int MAX_ENTRIES = 500_000;
    static final int SHOWN = 30;

    private DiskUsage() {
    }

    static void run(Job job, CappedOutput out) throws Exception {
        Path asked = Path.of(job.param("path"));
        int depth = job.intParam("depth");
        Path real;
        try {
            real = asked.toRealPath();
        } catch (NoSuchFileException e) {
            throw new Exception("no such directory: " + asked);
        }
        if (!job.allowance.underRoot(real.toString())) {
            throw new SecurityException("path " + asked + " leads to " + real + ", outside this agent's disk-usage roots "
                    + job.allowance.diskRoots());
        }
        Object device = Files.getAttribute(real, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Map<Path, long[]> sizes = new HashMap<>(); // path -> {bytes, entries}
        long[] total = new long[2];
        boolean[] cut = new boolean[1];
        int[] skipped = new int[1];
        Files.walkFileTree(real, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(real) && !device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                    return FileVisitResult.SKIP_SUBTREE; // another file system mounted here
                }
                return count(dir, attrs);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                return count(file, attrs);
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                skipped[0]++;
                return FileVisitResult.CONTINUE;
            }

            private FileVisitResult count(Path p, BasicFileAttributes attrs) {
                if (++total[1] > MAX_ENTRIES) {
                    cut[0] = true;
                    return FileVisitResult.TERMINATE;
                }
                if (total[1] % 1000 == 0) {
                    try {
                        job.checkTime();
                    } catch (TimeoutException | InterruptedException e) {
                        cut[0] = true;
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                        }
                        return FileVisitResult.TERMINATE;
                    }
                }
                long size = attrs.isSymbolicLink() ? 0 : attrs.size();
                total[0] += size;
                Path rel = real.relativize(p);
                int levels = Math.min(depth, rel.getNameCount());
                for (int k = 1; k <= levels && !rel.toString().isEmpty(); k++) {
                    long[] s = sizes.computeIfAbsent(rel.subpath(0, k), x -> new long[2]);
                    s[0] += size;
                    s[1]++;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("cancelled");
        }
        List<Map.Entry<Path, long[]>> top = new ArrayList<>(sizes.entrySet());
        top.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        out.line("# %s: %s in %d entries (apparent sizes, this file system only, symbolic links not followed)%s", real,
                human(total[0]), total[1], cut[0] ? "; STOPPED EARLY at the entry or time limit" : "");
        if (skipped[0] > 0) {
            out.line("# %d entries could not be read (permission)", skipped[0]);
        }
        for (Map.Entry<Path, long[]> e : top.subList(0, Math.min(SHOWN, top.size()))) {
            out.line("%10s  %8d  %s", human(e.getValue()[0]), e.getValue()[1], real.resolve(e.getKey()));
        }
        if (cut[0]) {
            out.truncated();
        }
        out.summary("bytes", total[0]);
        out.summary("entries", total[1]);
        if (!top.isEmpty()) {
            out.summary("largest", real.resolve(top.get(0).getKey()));
        }
        out.message(real + ": " + human(total[0]) + (top.isEmpty() ? "" : ", largest " + real.resolve(top.get(0).getKey())
                + " (" + human(top.get(0).getValue()[0]) + ")"));
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

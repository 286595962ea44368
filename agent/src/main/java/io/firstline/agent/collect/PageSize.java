package io.firstline.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's page size, which Java does not expose: found by comparing this
 * process's resident pages ({@code /proc/self/statm}) with its resident
 * kilobytes ({@code /proc/self/status}), rounded to a power of two; 4 KiB if
 * that fails.
 */
final class PageSize {
    static final long DEFAULT = 4096;

    private PageSize() {
    }

    static long linux() {
        try {
            long pages = Long.parseLong(Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+")[1]);
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return fromRatio(kib * 1024, pages);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the common value
        }
        return DEFAULT;
    }

    /** The power of two nearest to {@code bytes / pages}, or the default when that is not a sane page size. */
    static long fromRatio(long bytes, long pages) {
        if (pages <= 0 || bytes <= 0) {
            return DEFAULT;
        }
        double ratio = (double) bytes / pages;
        long p = Long.highestOneBit(Math.round(ratio));
        if (ratio - p > p * 2 - ratio) {
            p *= 2;
        }
        return p >= 4096 && p <= 65536 ? p : DEFAULT;
    }
}

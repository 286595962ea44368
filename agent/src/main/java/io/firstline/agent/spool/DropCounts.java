package io.firstline.agent.spool;

import io.firstline.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many messages of each boot epoch the spool dropped when full, kept in
 * {@code DIR/drops} ("epoch count" per line, rewritten whole on each change,
 * which is rare) so the count reaches the console even after a restart.
 * Epochs with nothing left to send are forgotten on open.
 */
final class DropCounts {
    private static final Logger log = LoggerFactory.getLogger(DropCounts.class);
    private final Path file;
    private final Map<Long, Long> counts = new TreeMap<>();

    DropCounts(Path dir) {
        this.file = dir.resolve("drops");
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    String[] f = line.trim().split(" ");
                    if (f.length == 2) {
                        counts.put(Long.parseLong(f[0]), Long.parseLong(f[1]));
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("cannot read spool drop counts {}: {}", file, e.toString());
        }
    }

    long get(long epoch) {
        return counts.getOrDefault(epoch, 0L);
    }

    void add(long epoch, long n) {
        counts.merge(epoch, n, Long::sum);
        save();
    }

    /** Forgets epochs not in {@code live}. */
    void retain(Collection<Long> live) {
        if (counts.keySet().retainAll(live)) {
            save();
        }
    }

    private void save() {
        StringBuilder sb = new StringBuilder();
        counts.forEach((e, n) -> sb.append(e).append(' ').append(n).append('\n'));
        try {
            PrivateFiles.writeString(file, sb.toString());
        } catch (IOException e) {
            log.warn("cannot save spool drop counts {}: {}", file, e.toString());
        }
    }
}

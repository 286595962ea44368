package io.firstline.agent.events;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code /dev/kmsg} as a stream and turns the lines the pattern table
 * knows into {@link KernelEvent}s.
 *
 * <ul>
 *   <li>Position: the first start goes to the end of the log (old records
 *       are not news); afterwards the last record's sequence number and the
 *       boot id are kept in {@code STATE/kmsg-position}, so a restart within
 *       the same boot continues after that record: no replay, no gap. Records
 *       the kernel overwrote before we read them are counted as lost.</li>
 *   <li>Bounded cost: a message is cut at 8 KiB before matching; at most
 *       {@value #MAX_LINES_PER_SECOND} lines a second are classified and at
 *       most {@value #EVENTS_PER_SECOND} events a second (bursts of
 *       {@value #EVENT_BURST}) are passed on; the rest are counted as dropped.
 *       Events of the same type and resource within
 *       {@value #MERGE_MILLIS} ms are one event (an OOM kill logs several
 *       lines naming the process).</li>
 *   <li>Only records the kernel logged itself count (facility 0), so a
 *       program writing to /dev/kmsg cannot fake a kernel event.</li>
 * </ul>
 * Runs on the events thread ({@link EventSources}); not thread-safe except
 * for the counters.
 */
final class KernelLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KernelLog.class);
    static final Path DEVICE = Path.of("/dev/kmsg");
    static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    static final int MAX_LINES_PER_SECOND = 2_000;
    static final int EVENTS_PER_SECOND = 10;
    static final int EVENT_BURST = 50;
    static final long MERGE_MILLIS = 1_000;
    private static final long SAVE_EVERY_MS = 5_000;
    /** Larger than any record (the kernel's limit is 8 KiB of text plus the header and dictionary). */
    private static final int BUFFER = 16 * 1024;

    /** Counters, readable from any thread. */
    static final class Counters {
        volatile long records;
        volatile long events;
        volatile long dropped;
        volatile long lost;
    }

    private final KernelPatterns patterns;
    private final Consumer<KernelEvent> sink;
    private final Path positionFile;
    private final boolean kernelOnly;
    private final Clock clock;
    private final Counters counters = new Counters();
    private final Memory buffer = new Memory(BUFFER);
    private final byte[] bytes = new byte[BUFFER];
    private final String bootId;
    private int fd = -1;
    private long lastSeq = -1;
    private long savedSeq = -1;
    private long lastSaveMs;
    private long lineWindowStart;
    private int linesInWindow;
    private double tokens = EVENT_BURST;
    private long tokensAt = Long.MIN_VALUE;
    private String lastKey = "";
    private long lastKeyAt = Long.MIN_VALUE;

    /**
     * @param kernelOnly false only in tests, which inject lines through /dev/kmsg as a program
     */
    KernelLog(KernelPatterns patterns, Consumer<KernelEvent> sink, Path stateDir, boolean kernelOnly, Clock clock) {
        this.patterns = patterns;
        this.sink = sink;
        this.positionFile = stateDir.resolve("kmsg-position");
        this.kernelOnly = kernelOnly;
        this.clock = clock;
        this.bootId = readBootId();
    }

    /**
     * Opens the device and positions it.
     *
     * @throws IOException when /dev/kmsg cannot be opened (no permission, not Linux)
     */
    int open() throws IOException {
        try {
            fd = Libc.C.open(DEVICE.toString(), Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            throw new IOException("cannot open " + DEVICE + ": " + describe(e));
        }
        Optional<Long> resume = savedPosition();
        if (resume.isPresent()) {
            // Read from the oldest record still held, skipping what we saw before the restart.
            lastSeq = resume.get();
            savedSeq = lastSeq;
            log.info("kernel log: continuing after record {}", lastSeq);
        } else {
            Libc.C.lseek(fd, new NativeLong(0), Libc.SEEK_END);
            log.info("kernel log: reading new records from now on");
        }
        return fd;
    }

    /** Reads every record available now (the descriptor is non-blocking) and passes on the events. */
    void drain() {
        boolean sawEvent = false;
        while (true) {
            int n;
            try {
                n = Libc.C.read(fd, buffer, new NativeLong(BUFFER)).intValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Libc.EAGAIN) {
                    break;
                }
                if (e.getErrorCode() == Libc.EPIPE) {
                    continue; // the kernel overwrote records we had not read; the sequence gap counts them
                }
                if (e.getErrorCode() == Libc.EINTR) {
                    continue;
                }
                log.warn("kernel log read failed: {}", describe(e));
                break;
            }
            if (n <= 0) {
                break;
            }
            buffer.read(0, bytes, 0, n);
            Optional<KmsgRecord> r = KmsgRecord.parse(bytes, n);
            if (r.isPresent()) {
                sawEvent |= offer(r.get(), clock.millis());
            }
        }
        long now = clock.millis();
        if (lastSeq != savedSeq && (sawEvent || now - lastSaveMs >= SAVE_EVERY_MS)) {
            savePosition(now);
        }
    }

    /** Takes one record; returns true when it produced an event. Package-private for tests. */
    boolean offer(KmsgRecord r, long nowMs) {
        if (r.sequence() <= lastSeq) {
            return false; // seen before the restart
        }
        if (lastSeq >= 0 && r.sequence() > lastSeq + 1) {
            counters.lost += r.sequence() - lastSeq - 1;
        }
        lastSeq = r.sequence();
        counters.records++;
        if (kernelOnly && !r.fromKernel()) {
            return false;
        }
        if (nowMs - lineWindowStart >= 1000) {
            lineWindowStart = nowMs;
            linesInWindow = 0;
        }
        if (++linesInWindow > MAX_LINES_PER_SECOND) {
            counters.dropped++;
            return false;
        }
        Optional<KernelEvent> e = patterns.classify(r.message());
        if (e.isEmpty()) {
            return false;
        }
        String key = e.get().type() + "\u0000" + e.get().resource();
        if (key.equals(lastKey) && nowMs - lastKeyAt < MERGE_MILLIS) {
            return false;
        }
        lastKey = key;
        lastKeyAt = nowMs;
        if (tokensAt != Long.MIN_VALUE && nowMs > tokensAt) {
            tokens = Math.min(EVENT_BURST, tokens + (nowMs - tokensAt) * EVENTS_PER_SECOND / 1000.0);
        }
        tokensAt = Math.max(nowMs, tokensAt);
        if (tokens < 1) {
            if (counters.dropped++ % 1000 == 0) {
                log.warn("kernel log: more than {} events a second; dropping and counting them ({} so far)",
                        EVENTS_PER_SECOND, counters.dropped);
            }
            return false;
        }
        tokens -= 1;
        counters.events++;
        sink.accept(e.get());
        return true;
    }

    Counters counters() {
        return counters;
    }

    long lastSequence() {
        return lastSeq;
    }

    private Optional<Long> savedPosition() {
        try {
            if (!Files.isRegularFile(positionFile)) {
                return Optional.empty();
            }
            String[] f = Files.readString(positionFile).trim().split("\\s+");
            if (f.length == 2 && f[0].equals(bootId) && !bootId.isEmpty()) {
                return Optional.of(Long.parseLong(f[1]));
            }
            log.info("kernel log: the saved position is from another boot; starting at the end");
        } catch (IOException | NumberFormatException e) {
            log.warn("kernel log: ignoring unreadable {}: {}", positionFile, e.toString());
        }
        return Optional.empty();
    }

    private void savePosition(long now) {
        if (lastSeq < 0) {
            return;
        }
        try {
            Files.createDirectories(positionFile.getParent());
            Path tmp = positionFile.resolveSibling(positionFile.getFileName() + ".tmp");
            Files.writeString(tmp, bootId + " " + lastSeq + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, positionFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            savedSeq = lastSeq;
            lastSaveMs = now;
        } catch (IOException e) {
            log.warn("kernel log: cannot save the position to {}: {}", positionFile, e.toString());
            lastSaveMs = now;
        }
    }

    private static String readBootId() {
        try {
            return Files.readString(BOOT_ID).trim();
        } catch (IOException e) {
            return "";
        }
    }

    static String describe(Throwable e) {
        if (e instanceof LastErrorException l) {
            return switch (l.getErrorCode()) {
                case 1, 13 -> "permission denied";
                case 2 -> "no such device";
                default -> "errno " + l.getErrorCode();
            };
        }
        return e.toString();
    }

    @Override
    public void close() {
        if (fd >= 0) {
            savePosition(clock.millis());
            Libc.C.close(fd);
            fd = -1;
        }
    }
}

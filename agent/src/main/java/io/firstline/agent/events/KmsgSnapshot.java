package io.firstline.agent.events;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every record the kernel's ring buffer holds now, read once from
 * {@code /dev/kmsg} with its own non-blocking descriptor (the kernel_log
 * diagnostic; the event reader keeps its own position untouched).
 */
public final class KmsgSnapshot {
    private static final int BUFFER = 8192;
    /** At most this many records are read, however large the ring buffer. */
    static final int MAX_RECORDS = 100_000;

    private KmsgSnapshot() {
    }

    /**
     * The last {@code keep} records that {@code wanted} accepts, oldest first,
     * each as {@code [seconds.micros] message}.
     *
     * @throws IOException when /dev/kmsg cannot be opened (no permission, not Linux)
     */
    public static List<String> last(int keep, Predicate<String> wanted) throws IOException {
        int fd;
        try {
            fd = Libc.C.open(KernelLog.DEVICE.toString(), Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            throw new IOException("cannot open " + KernelLog.DEVICE + ": " + (e instanceof LastErrorException l
                    ? "error " + l.getErrorCode() + (l.getErrorCode() == 1 || l.getErrorCode() == 13 ? " (permission denied)" : "")
                    : e.getMessage()));
        }
        Deque<String> out = new ArrayDeque<>();
        try (Memory buffer = new Memory(BUFFER)) {
            byte[] bytes = new byte[BUFFER];
            for (int i = 0; i < MAX_RECORDS && !Thread.currentThread().isInterrupted(); i++) {
                int n;
                try {
                    n = Libc.C.read(fd, buffer, new NativeLong(BUFFER)).intValue();
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == Libc.EPIPE || e.getErrorCode() == Libc.EINTR) {
                        continue;
                    }
                    break; // EAGAIN: nothing more now
                }
                if (n <= 0) {
                    break;
                }
                buffer.read(0, bytes, 0, n);
                Optional<KmsgRecord> r = KmsgRecord.parse(bytes, n);
                if (r.isPresent()) {
                    long us = r.get().timestampMicros();
                    String line = String.format(java.util.Locale.ROOT, "[%d.%06d] %s", us / 1_000_000, us % 1_000_000, r.get().message());
                    if (wanted.test(line)) {
                        out.addLast(line);
                        if (out.size() > keep) {
                            out.removeFirst();
                        }
                    }
                }
            }
        } finally {
            try {
                Libc.C.close(fd);
            } catch (LastErrorException ignored) {
                // nothing to do
            }
        }
        return List.copyOf(out);
    }
}

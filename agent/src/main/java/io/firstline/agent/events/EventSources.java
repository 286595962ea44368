package io.firstline.agent.events;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import io.firstline.agent.collect.EventStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's ears on Linux: one thread ("firstline-events") blocked in
 * poll(2) on the kernel log, the mount table and a netlink socket for link
 * changes, so a fault reaches the rules the moment the kernel knows and an
 * idle machine costs no CPU. Each source that cannot listen (no permission,
 * not Linux) falls back to re-reading its state every check interval, and
 * says so once through the collector of its name ({@link EventStatus}).
 *
 * <pre>
 *   /dev/kmsg ---------> KernelLog ----> typed events --------> Sink.event
 *                                  \--> fs_read_only, link_*  -> hints to the watchers
 *   /proc/self/mountinfo (POLLPRI) -> MountWatcher -> fs.read_only -> Sink.reading
 *   netlink RTMGRP_LINK  (POLLIN)  -> LinkWatcher  -> net.up       -> Sink.reading
 * </pre>
 */
public final class EventSources implements EventStatus, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventSources.class);
    public static final String KERNEL_LOG = "kernel_log";
    public static final String MOUNTS = "mount_events";
    public static final String LINKS = "link_events";

    /** Where events and changed state signals go (called on the events thread). */
    public interface Sink {
        void event(KernelEvent e);

        void reading(String metric, String resource, double value);
    }

    private final Map<String, String> fallbacks = new ConcurrentHashMap<>();
    private final KernelLog kernel;
    private final MountWatcher mounts;
    private final LinkWatcher links;
    private final long fallbackEveryMs;
    private int kmsgFd = -1;
    private int mountFd = -1;
    private int netlinkFd = -1;
    private final int[] wake = {-1, -1};
    private volatile boolean closing;
    private Thread thread;

    private EventSources(KernelPatterns patterns, Sink sink, Path stateDir, Duration fallbackEvery, boolean kernelOnly,
                         Path sysNet, Clock clock) {
        this.fallbackEveryMs = Math.max(50, fallbackEvery.toMillis());
        this.mounts = new MountWatcher(sink::reading);
        this.links = new LinkWatcher(sink::reading, sysNet);
        this.kernel = new KernelLog(patterns, e -> {
            switch (e.type()) {
                case "fs_read_only" -> mounts.deviceReadOnly(e.resource());
                case "link_down", "link_up" -> links.recheck();
                default -> {
                }
            }
            sink.event(e);
        }, stateDir, kernelOnly, clock);
    }

    /**
     * Opens every source it can and starts listening.
     *
     * @param fallbackEvery how often a source that cannot listen re-reads its state (the check interval)
     */
    public static EventSources start(KernelPatterns patterns, Sink sink, Path stateDir, Duration fallbackEvery) {
        return start(patterns, sink, stateDir, fallbackEvery, true, LinkWatcher.SYS_NET, Clock.systemUTC());
    }

    static EventSources start(KernelPatterns patterns, Sink sink, Path stateDir, Duration fallbackEvery, boolean kernelOnly,
                              Path sysNet, Clock clock) {
        EventSources s = new EventSources(patterns, sink, stateDir, fallbackEvery, kernelOnly, sysNet, clock);
        s.open();
        s.thread = new Thread(s::loop, "firstline-events");
        s.thread.setDaemon(true);
        s.thread.start();
        return s;
    }

    private void open() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            String why = "not Linux: no kernel event sources; faults are found by the collectors' polling";
            fallbacks.put(KERNEL_LOG, why);
            fallbacks.put(MOUNTS, why);
            fallbacks.put(LINKS, why);
            return;
        }
        try {
            wakePipe();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            String why = "cannot use poll(2) here (" + KernelLog.describe(e) + "); faults are found by polling";
            fallbacks.put(KERNEL_LOG, why);
            fallbacks.put(MOUNTS, why + " of the mount table every " + fallbackEveryMs + " ms");
            fallbacks.put(LINKS, why + " of link state every " + fallbackEveryMs + " ms");
            return;
        }
        try {
            kmsgFd = kernel.open();
        } catch (IOException e) {
            fallbacks.put(KERNEL_LOG, e.getMessage() + ": no kernel events (OOM kills, I/O errors, crashes); "
                    + "read-only file systems and link loss are still found by polling");
        }
        try {
            mountFd = mounts.open();
        } catch (IOException e) {
            fallbacks.put(MOUNTS, e.getMessage() + "; re-reading the mount table every " + fallbackEveryMs + " ms instead");
        }
        links.baseline();
        try {
            netlinkFd = links.openNetlink();
        } catch (IOException e) {
            fallbacks.put(LINKS, e.getMessage() + "; re-reading link state every " + fallbackEveryMs + " ms instead");
        }
        fallbacks.forEach((source, why) -> log.info("event source {} falls back: {}", source, why));
    }

    private void wakePipe() {
        Libc.C.pipe2(wake, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
    }

    private void loop() {
        if (wake[0] < 0) {
            return;
        }
        int[] fds = {wake[0], kmsgFd, mountFd, netlinkFd};
        short[] want = {Libc.POLLIN, Libc.POLLIN, Libc.POLLPRI, Libc.POLLIN};
        Memory pollfds = new Memory(8L * fds.length);
        boolean polling = mountFd < 0 || netlinkFd < 0;
        long nextFallback = System.currentTimeMillis() + fallbackEveryMs;
        while (!closing) {
            for (int i = 0; i < fds.length; i++) {
                pollfds.setInt(8L * i, fds[i]); // a negative fd is ignored by poll(2)
                pollfds.setShort(8L * i + 4, want[i]);
                pollfds.setShort(8L * i + 6, (short) 0);
            }
            long timeout = polling ? Math.max(0, nextFallback - System.currentTimeMillis()) : -1;
            try {
                Libc.C.poll(pollfds, fds.length, (int) timeout);
            } catch (RuntimeException e) {
                continue; // EINTR
            }
            if (closing) {
                break;
            }
            try {
                if (pollfds.getShort(6) != 0) {
                    drainWake();
                }
                if (pollfds.getShort(8 + 6) != 0) {
                    kernel.drain();
                }
                if (pollfds.getShort(16 + 6) != 0) {
                    mounts.changed();
                }
                if (pollfds.getShort(24 + 6) != 0) {
                    links.drain(netlinkFd);
                    links.recheck();
                }
                if (polling && System.currentTimeMillis() >= nextFallback) {
                    nextFallback = System.currentTimeMillis() + fallbackEveryMs;
                    if (mountFd < 0) {
                        mounts.changed();
                    }
                    if (netlinkFd < 0) {
                        links.recheck();
                    }
                }
            } catch (RuntimeException e) {
                log.error("event source failed; going on", e);
            }
        }
    }

    private void drainWake() {
        Memory b = new Memory(64);
        try {
            while (Libc.C.read(wake[0], b, new NativeLong(64)).longValue() > 0) {
                // empty the pipe
            }
        } catch (RuntimeException e) {
            // EAGAIN: empty
        }
    }

    @Override
    public Optional<String> fallback(String source) {
        return Optional.ofNullable(fallbacks.get(source));
    }

    @Override
    public Map<String, Double> counters(String source) {
        if (!source.equals(KERNEL_LOG)) {
            return Map.of();
        }
        KernelLog.Counters c = kernel.counters();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("kernel_log.events_total", (double) c.events);
        m.put("kernel_log.dropped_total", (double) c.dropped);
        m.put("kernel_log.lost_total", (double) c.lost);
        return m;
    }

    /** The metrics the watchers write as soon as they change, which fast checks need not re-read. */
    public java.util.Set<String> watchedMetrics() {
        return wake[0] < 0 ? java.util.Set.of() : java.util.Set.of(MountWatcher.METRIC, LinkWatcher.METRIC);
    }

    /** The kernel log's last sequence number read (tests). */
    long lastKernelSequence() {
        return kernel.lastSequence();
    }

    @Override
    public void close() {
        closing = true;
        if (wake[1] >= 0) {
            try {
                Libc.C.write(wake[1], new byte[] {1}, new NativeLong(1));
            } catch (RuntimeException e) {
                // full pipe: the thread is waking anyway
            }
        }
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kernel.close();
        for (int fd : new int[] {mountFd, netlinkFd, wake[0], wake[1]}) {
            if (fd >= 0) {
                try {
                    Libc.C.close(fd);
                } catch (RuntimeException e) {
                    // closing anyway
                }
            }
        }
    }
}

package io.firstline.agent.events;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches link state: a netlink socket subscribed to link changes wakes the
 * events thread when any interface changes, and then every interface's
 * {@code /sys/class/net/IF/operstate} is read again and those that went up or
 * down are written as {@code net.up} at once (as the network collector does:
 * 1 only when operstate is "up"). Where netlink is not available the same
 * read runs every check interval.
 */
final class LinkWatcher {
    private static final Logger log = LoggerFactory.getLogger(LinkWatcher.class);
    static final String METRIC = "net.up";
    static final Path SYS_NET = Path.of("/sys/class/net");

    private final Readings out;
    private final Path sysNet;
    private final Map<String, Boolean> known = new HashMap<>();
    private final com.sun.jna.Memory buffer = new com.sun.jna.Memory(8192);

    LinkWatcher(Readings out, Path sysNet) {
        this.out = out;
        this.sysNet = sysNet;
    }

    /** Takes the current state as the base. */
    void baseline() {
        known.clear();
        read(known);
    }

    /** Opens a netlink socket for link changes (RTMGRP_LINK); returns its descriptor. */
    int openNetlink() throws IOException {
        try {
            int fd = Libc.C.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
            // struct sockaddr_nl: family (u16), pad (u16), pid (u32, 0 = kernel assigns), groups (u32), native order
            java.nio.ByteBuffer a = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.nativeOrder());
            a.putShort((short) Libc.AF_NETLINK).putShort((short) 0).putInt(0).putInt(Libc.RTMGRP_LINK);
            try {
                Libc.C.bind(fd, a.array(), 12);
            } catch (RuntimeException e) {
                Libc.C.close(fd);
                throw e;
            }
            return fd;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IOException("no netlink link notifications: " + KernelLog.describe(e));
        }
    }

    /** Empties the netlink socket (what changed does not matter: the state is read from sysfs). */
    void drain(int fd) {
        while (true) {
            try {
                if (Libc.C.read(fd, buffer, new com.sun.jna.NativeLong(buffer.size())).longValue() <= 0) {
                    return;
                }
            } catch (RuntimeException e) {
                return; // EAGAIN: empty; ENOBUFS: we missed some, the re-read covers them
            }
        }
    }

    /** Reads every interface's state and writes those that changed. */
    void recheck() {
        Map<String, Boolean> now = new HashMap<>();
        read(now);
        for (Map.Entry<String, Boolean> e : now.entrySet()) {
            Boolean before = known.get(e.getKey());
            if (before != null && !before.equals(e.getValue())) {
                out.reading(METRIC, e.getKey(), e.getValue() ? 1 : 0);
                log.info("link {} is {}", e.getKey(), e.getValue() ? "up" : "down");
            }
        }
        known.clear();
        known.putAll(now);
    }

    private void read(Map<String, Boolean> into) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(sysNet)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (name.equals("lo")) {
                    continue;
                }
                try {
                    into.put(name, Files.readString(d.resolve("operstate")).trim().equals("up"));
                } catch (IOException e) {
                    // removed between the listing and the read
                }
            }
        } catch (IOException e) {
            log.debug("cannot list {}: {}", sysNet, e.toString());
        }
    }
}

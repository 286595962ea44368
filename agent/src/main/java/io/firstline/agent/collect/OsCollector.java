package io.firstline.agent.collect;

import java.util.List;
import java.util.TreeSet;
import oshi.software.os.OSSession;
import oshi.software.os.OperatingSystem;

/**
 * Uptime and boot time (a changed boot time is a reboot) and the users
 * logged in: their number and their distinct names.
 */
final class OsCollector implements Collector {
    static final int MAX_USERS_TEXT = 200;

    private final OperatingSystem os;

    OsCollector(HostProbe probe) {
        this.os = probe.os();
    }

    @Override
    public void collect(MetricWriter out) {
        out.value("os.uptime_seconds", os.getSystemUptime());
        out.value("os.boot_time_seconds", os.getSystemBootTime());
        List<OSSession> sessions = os.getSessions();
        out.value("os.sessions", sessions.size());
        out.text("os.users", "", users(sessions.stream().map(OSSession::getUserName).toList()));
    }

    /** Distinct names, sorted, comma separated, cut at {@value #MAX_USERS_TEXT} characters. */
    static String users(List<String> names) {
        String s = String.join(",", new TreeSet<>(names.stream().filter(n -> n != null && !n.isBlank()).toList()));
        return s.length() > MAX_USERS_TEXT ? s.substring(0, MAX_USERS_TEXT) : s;
    }
}

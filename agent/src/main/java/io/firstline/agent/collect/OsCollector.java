package io.firstline.agent.collect;

import java.util.List;
import java.util.TreeSet;
import oshi.software.os.OSSession;
import oshi.software.os.OperatingSystem;

/**
 * Uptime and boot time (a changed boot time is a reboot), whether the machine
 * came back from an unexpected reboot (the previous boot ended while the agent
 * was still running: power loss, panic, hard reset), and the users logged in:
 * their number and their distinct names.
 */
final class OsCollector implements Collector {
    static final int MAX_USERS_TEXT = 200;

    /** How long after boot an unexpected reboot is reported (then the fault clears by itself). */
    static final long UNEXPECTED_REBOOT_REPORT_SECONDS = 15 * 60;

    private final OperatingSystem os;
    private final CollectEnvironment.BootCheck boot;

    OsCollector(HostProbe probe) {
        this.os = probe.os();
        this.boot = probe.environment().boot();
    }

    @Override
    public void collect(MetricWriter out) {
        out.value("os.uptime_seconds", os.getSystemUptime());
        long bootTime = os.getSystemBootTime();
        out.value("os.boot_time_seconds", bootTime);
        out.value("os.unexpected_reboot", unexpectedReboot(boot.previousBootEndedUncleanly(bootTime), os.getSystemUptime()));
        List<OSSession> sessions = os.getSessions();
        out.value("os.sessions", sessions.size());
        out.text("os.users", "", users(sessions.stream().map(OSSession::getUserName).toList()));
    }

    static int unexpectedReboot(boolean previousBootUnclean, long uptimeSeconds) {
        return previousBootUnclean && uptimeSeconds < UNEXPECTED_REBOOT_REPORT_SECONDS ? 1 : 0;
    }

    /** Distinct names, sorted, comma separated, cut at {@value #MAX_USERS_TEXT} characters. */
    static String users(List<String> names) {
        String s = String.join(",", new TreeSet<>(names.stream().filter(n -> n != null && !n.isBlank()).toList()));
        return s.length() > MAX_USERS_TEXT ? s.substring(0, MAX_USERS_TEXT) : s;
    }
}

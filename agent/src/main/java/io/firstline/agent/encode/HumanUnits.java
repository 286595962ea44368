package io.firstline.agent.encode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * A metric's value in the units a person reads, chosen by the metric's name
 * suffix (the naming convention of every collector): {@code _ratio} as a
 * percentage, {@code _bytes} in KiB/MiB/GiB, {@code _bytes_per_second} as a
 * rate of those, {@code _bits_per_second} in Mbit/s, {@code _time_seconds}
 * (a moment since the epoch) as a date, other {@code _seconds} as a duration,
 * yes/no flags as yes and no. An MTU is a size but is read as a plain number.
 */
final class HumanUnits {
    /** Metric names (after the family) that are 0/1 flags. */
    private static final Set<String> FLAGS = Set.of("up", "read_only", "has_gateway", "gateway_reachable", "console_reachable",
            "console_connected", "dns_ok", "unexpected_reboot", "charging", "on_line", "measured");
    /** Name suffixes that carry the unit, longest first: removed from column headings. */
    private static final String[] UNIT_SUFFIXES = {"_bytes_per_second", "_bits_per_second", "_pages_per_second", "_per_second",
        "_time_seconds", "_seconds", "_ratio", "_bytes", "_ms", "_celsius", "_volts", "_rpm"};

    private final DateTimeFormatter dates;

    HumanUnits(ZoneId zone) {
        this.dates = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT).withZone(zone);
    }

    /** {@code metric}'s name without its family ({@code net.}) and unit: {@code rx}, {@code mtu}, {@code boot}. */
    static String heading(String metric) {
        String name = metric.substring(metric.indexOf('.') + 1);
        if (name.endsWith("_time_seconds")) {
            return name.substring(0, name.length() - "_seconds".length());
        }
        for (String suffix : UNIT_SUFFIXES) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    String format(String metric, double v) {
        String name = metric.substring(metric.indexOf('.') + 1);
        if (FLAGS.contains(name)) {
            return v != 0 ? "yes" : "no";
        }
        if (name.equals("mtu_bytes")) {
            return plain(v);
        }
        if (name.endsWith("_time_seconds")) {
            return dates.format(Instant.ofEpochMilli(Math.round(v * 1000)));
        }
        if (name.endsWith("_bytes_per_second")) {
            return bytes(v) + "/s";
        }
        if (name.endsWith("_bits_per_second")) {
            return bits(v) + "/s";
        }
        if (name.endsWith("_per_second")) {
            return (Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v)) + "/s";
        }
        if (name.endsWith("_seconds")) {
            return duration(v);
        }
        if (name.endsWith("_ratio")) {
            return String.format(Locale.ROOT, "%.1f %%", v * 100);
        }
        if (name.endsWith("_bytes")) {
            return bytes(v);
        }
        if (name.endsWith("_ms")) {
            return String.format(Locale.ROOT, "%.1f ms", v);
        }
        if (name.endsWith("_celsius")) {
            return String.format(Locale.ROOT, "%.1f °C", v);
        }
        if (name.endsWith("_volts")) {
            return String.format(Locale.ROOT, "%.2f V", v);
        }
        if (name.endsWith("_rpm")) {
            return String.format(Locale.ROOT, "%.0f rpm", v);
        }
        return plain(v);
    }

    static String plain(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String bytes(double v) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", v) : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String bits(double v) {
        String[] units = {"bit", "kbit", "Mbit", "Gbit", "Tbit"};
        int u = 0;
        while (Math.abs(v) >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return (v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }

    /** 3d 4h, 4h 5m, 5m 12s, 42s: the two largest parts. */
    static String duration(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(Math.abs(seconds)));
        String sign = seconds < 0 ? "-" : "";
        if (d.toDays() > 0) {
            return sign + d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return sign + d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        if (d.toMinutes() > 0) {
            return sign + d.toMinutes() + "m " + d.toSecondsPart() + "s";
        }
        return sign + d.toSeconds() + "s";
    }
}

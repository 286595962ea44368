package io.firstline.console.web;

import io.firstline.console.fleet.AgentSummary;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One fleet-page row per agent: the few fields the table shows, with the
 * health colour worked out here (offline, else the worst open ticket, else ok).
 */
final class FleetRows {
    private FleetRows() {
    }

    static String health(boolean online, OpenTickets.Count tickets) {
        if (!online) {
            return "offline";
        }
        if (tickets == null || tickets.open() == 0) {
            return "ok";
        }
        String s = tickets.worstSeverity().toLowerCase(Locale.ROOT);
        return s.equals("critical") || s.equals("page") ? "critical" : "warning";
    }

    static Map<String, Object> row(AgentSummary a, OpenTickets.Count tickets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("host", a.hostname());
        m.put("site", a.site());
        m.put("os", a.os());
        m.put("health", health(a.online(), tickets));
        m.put("cpu", Double.isNaN(a.cpu()) ? null : a.cpu());
        m.put("mem", Double.isNaN(a.memory()) ? null : a.memory());
        if (!Double.isNaN(a.fullestDisk())) {
            m.put("disk", a.fullestDisk());
            m.put("mount", a.fullestMount());
        }
        m.put("tickets", tickets == null ? 0 : tickets.open());
        if (tickets != null && !tickets.topTitle().isEmpty()) {
            m.put("top", tickets.topTitle());
        }
        m.put("seen", a.lastSeen() == null ? 0 : a.lastSeen().toEpochMilli());
        return m;
    }
}

package io.firstline.console.web;

import io.firstline.console.fleet.AgentSnapshot;
import io.firstline.console.fleet.FleetState;
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

    static Map<String, Object> row(AgentSnapshot a, FleetState fleet, OpenTickets.Count tickets) {
        boolean online = fleet.status(a) == FleetState.Status.ONLINE;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("host", a.host().getHostname());
        m.put("site", site(a));
        m.put("os", (a.host().getOsFamily() + " " + a.host().getOsVersion()).trim());
        m.put("health", health(online, tickets));
        m.put("cpu", a.value("cpu.usage_ratio").orElse(null));
        m.put("mem", a.value("memory.used_ratio").orElse(null));
        a.highest("fs.used_ratio").ifPresent(v -> {
            m.put("disk", v.value());
            m.put("mount", v.resource());
        });
        m.put("tickets", tickets == null ? 0 : tickets.open());
        m.put("seen", a.lastSeen() == null ? 0 : a.lastSeen().toEpochMilli());
        return m;
    }

    /** The agent's site: from its inventory's "site" attribute where enrollment put one, else empty. */
    private static String site(AgentSnapshot a) {
        return a.inventory().getItemsList().stream()
                .filter(i -> i.getKind().equals("agent") && i.getAttributesMap().containsKey("site"))
                .map(i -> i.getAttributesMap().get("site")).findFirst().orElse("");
    }
}

package io.firstline.console.web;

import java.util.Map;

/** Open tickets per agent, for the fleet page's health colour and ticket column. */
@FunctionalInterface
public interface OpenTickets {
    /**
     * How many tickets an agent has open, the worst severity among them
     * ("critical", "warning", ...) and the title of the one at the top of the
     * desk (worst severity, then oldest), which the fleet page shows as the
     * reason for the agent's colour.
     */
    record Count(int open, String worstSeverity, String topTitle) {
    }

    /** Agent id to its open tickets; agents without open tickets are absent. */
    Map<String, Count> byAgent();

    OpenTickets NONE = Map::of;
}

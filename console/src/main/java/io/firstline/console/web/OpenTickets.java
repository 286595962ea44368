package io.firstline.console.web;

import java.util.Map;

/** Open tickets per agent, for the fleet page's health colour and ticket column. */
@FunctionalInterface
public interface OpenTickets {
    /** How many tickets an agent has open and the worst severity among them ("critical", "warning", ...). */
    record Count(int open, String worstSeverity) {
    }

    /** Agent id to its open tickets; agents without open tickets are absent. */
    Map<String, Count> byAgent();

    OpenTickets NONE = Map::of;
}

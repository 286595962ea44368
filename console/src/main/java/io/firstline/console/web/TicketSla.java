package io.firstline.console.web;

import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketPolicy;
import io.firstline.console.tickets.TicketState;
import java.time.Instant;
import java.util.Map;

/**
 * Adds the SLA due times to a ticket's JSON for the desk's timers: when it
 * must be acknowledged (while open) and resolved (while open or
 * acknowledged), counted from the start of its SLA clock.
 */
final class TicketSla {
    private final TicketPolicy policy;
    private final Map<Long, Instant> starts;

    TicketSla(TicketPolicy policy, Map<Long, Instant> starts) {
        this.policy = policy;
        this.starts = starts;
    }

    Map<String, Object> add(Map<String, Object> json, Ticket t) {
        Instant start = starts.get(t.id());
        if (start == null || start.toEpochMilli() == 0 || !t.state().live()) {
            return json;
        }
        TicketPolicy.Sla sla = policy.sla().get(t.severity());
        if (t.state() == TicketState.OPEN) {
            json.put("ackDueAt", start.plus(sla.ackWithin()));
        }
        json.put("resolveDueAt", start.plus(sla.resolveWithin()));
        return json;
    }
}

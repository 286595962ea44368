package io.firstline.console.web;

import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketService;
import java.util.HashMap;
import java.util.Map;

/** Open and acknowledged tickets per agent from the ticket store, for the fleet page. */
public final class TicketCounts implements OpenTickets {
    private final TicketService tickets;

    public TicketCounts(TicketService tickets) {
        this.tickets = tickets;
    }

    @Override
    public Map<String, Count> byAgent() {
        Map<String, Integer> open = new HashMap<>();
        Map<String, Ticket> top = new HashMap<>();
        for (Ticket t : tickets.list(new TicketService.Query("", "", "", "", "", "", 5_000))) {
            open.merge(t.agentId(), 1, Integer::sum);
            top.merge(t.agentId(), t, TicketCounts::higher);
        }
        Map<String, Count> m = new HashMap<>();
        top.forEach((agent, t) -> m.put(agent, new Count(open.get(agent), t.severity().label(), t.title())));
        return m;
    }

    /** The ticket that tops the desk: the worse severity, then the older one, then the lower id. */
    private static Ticket higher(Ticket a, Ticket b) {
        int c = a.severity().compareTo(b.severity());
        if (c == 0) {
            c = b.openedAt().compareTo(a.openedAt());
        }
        if (c == 0) {
            c = Long.compare(b.id(), a.id());
        }
        return c >= 0 ? a : b;
    }
}

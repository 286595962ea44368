package io.firstline.console.web;

import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketService;
import io.firstline.rules.Severity;
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
        Map<String, Count> m = new HashMap<>();
        for (Ticket t : tickets.list(new TicketService.Query("", "", "", "", "", "", 5_000))) {
            m.merge(t.agentId(), new Count(1, t.severity().label()), (a, b) -> new Count(a.open() + b.open(),
                    Severity.parse(a.worstSeverity()).compareTo(Severity.parse(b.worstSeverity())) >= 0
                            ? a.worstSeverity() : b.worstSeverity()));
        }
        return m;
    }
}

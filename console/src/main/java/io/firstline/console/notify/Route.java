package io.firstline.console.notify;

import io.firstline.console.tickets.Ticket;
import io.firstline.rules.Severity;
import java.util.Set;

/**
 * Which ticket notifications a target wants: by the ticket's severity, its
 * site and the event. An empty set means "any".
 */
public record Route(Set<Severity> severities, Set<String> sites, Set<String> events) {
    /** The events a ticket notification can be about. */
    public static final Set<String> EVENTS = Set.of("opened", "acknowledged", "escalated", "resolved");
    public static final Route ALL = new Route(Set.of(), Set.of(), Set.of());

    public Route {
        severities = Set.copyOf(severities);
        sites = Set.copyOf(sites);
        events = Set.copyOf(events);
    }

    public boolean matches(Ticket t, String event) {
        return (severities.isEmpty() || severities.contains(t.severity()))
                && (sites.isEmpty() || sites.contains(t.site()))
                && (events.isEmpty() || events.contains(event));
    }
}

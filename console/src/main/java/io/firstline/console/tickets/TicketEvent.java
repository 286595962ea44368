package io.firstline.console.tickets;

import java.time.Instant;

/**
 * One entry of a ticket's timeline: raised (with the values that triggered
 * it), acknowledged, assigned, commented, escalated, resolved, reopened,
 * fault_cleared, sla_breached, closed. {@code detail} is a JSON object.
 */
public record TicketEvent(long id, long ticketId, Instant at, String kind, String actor, String detail) {
}

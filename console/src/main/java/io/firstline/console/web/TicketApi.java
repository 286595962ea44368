package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.CONFLICT;
import static io.netty.handler.codec.http.HttpResponseStatus.CREATED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.tickets.IllegalTransitionException;
import io.firstline.console.tickets.MaintenanceWindow;
import io.firstline.console.tickets.MaintenanceWindows;
import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketNotFoundException;
import io.firstline.console.tickets.TicketService;
import io.firstline.wire.Durations;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;

/**
 * The ticket API:
 * <pre>
 * GET  /api/tickets                 open and acknowledged tickets; ?state=all|open|acknowledged|resolved|closed,
 *                                   &amp;severity= &amp;agent= &amp;rule= &amp;site= &amp;text= &amp;limit=
 * GET  /api/tickets/{id}            one ticket with its timeline
 * POST /api/tickets/{id}/{action}   ack | assign | comment | escalate | resolve | reopen, JSON body
 *                                   {"assignee": "...", "text": "...", "reason": "...", "note": "..."}; the actor is
 *                                   the signed-in user (or API token owner)
 * GET  /api/maintenance-windows     windows not yet over; ?all=true for every window
 * POST /api/maintenance-windows     {"scope": "agent|site|tag", "value": "...", "duration": "2h" or "endsAt": ISO,
 *                                   "startsAt": ISO (default now), "reason": "..."}
 * POST /api/maintenance-windows/{id}/end
 * </pre>
 * An action the ticket's state does not allow answers 409 with the reason.
 */
final class TicketApi implements ApiModule {
    private static final String TICKETS = "/api/tickets";
    private static final String WINDOWS = "/api/maintenance-windows";

    private final TicketService tickets;
    private final MaintenanceWindows windows;
    private final Clock clock;
    private final Function<String, String> hostStatus;

    /** @param hostStatus an agent id to "online", "offline" or "unknown" (shown with each ticket) */
    TicketApi(TicketService tickets, MaintenanceWindows windows, Clock clock, Function<String, String> hostStatus) {
        this.tickets = tickets;
        this.windows = windows;
        this.clock = clock;
        this.hostStatus = hostStatus;
    }

    /** The ticket's JSON with whether its host is online now, so the desk can say a host is offline. */
    private Map<String, Object> withHost(Map<String, Object> json, Ticket t) {
        json.put("hostStatus", hostStatus.apply(t.agentId()));
        return json;
    }

    /** The ticket actions, each {@code POST /api/tickets/{id}/ACTION}; "acknowledge" is a synonym of "ack". */
    static final java.util.List<String> ACTIONS = java.util.List.of("ack", "acknowledge", "assign", "comment", "escalate",
            "resolve", "reopen");

    @Override
    public void register(Router r) {
        r.get(TICKETS, Router.Access.SIGNED_IN, ex -> ex.respond(answer(() -> {
            TicketSla sla = new TicketSla(tickets.policy(), tickets.slaStarts());
            return ApiHandler.json(OK, Json.write(tickets.list(query(ex.decoder())).stream()
                    .map(t -> withHost(sla.add(TicketJson.summary(t), t), t)).toList()));
        })));
        r.get(TICKETS + "/{id}", Router.Access.SIGNED_IN, ex -> ex.respond(answer(() -> {
            long id = Requests.id(ex.param("id"));
            Ticket t = tickets.get(id).orElseThrow(() -> new TicketNotFoundException(id));
            TicketSla sla = new TicketSla(tickets.policy(), tickets.slaStarts());
            return ApiHandler.json(OK, Json.write(withHost(sla.add(TicketJson.detail(t, tickets.timeline(id)), t), t)));
        })));
        for (String action : ACTIONS) {
            r.post(TICKETS + "/{id}/" + action, Router.Access.SIGNED_IN, ex -> ex.respond(answer(() -> {
                long id = Requests.id(ex.param("id"));
                Ticket t = action(id, action, Requests.actor(ex.request), Requests.body(ex.request));
                return ApiHandler.json(OK, Json.write(withHost(TicketJson.detail(t, tickets.timeline(id)), t)));
            })));
        }
        r.get(WINDOWS, Router.Access.SIGNED_IN, ex -> ex.respond(answer(() -> {
            boolean all = Requests.param(ex.decoder(), "all").equals("true");
            return ApiHandler.json(OK, Json.write(windows.list(all).stream().map(TicketJson::window).toList()));
        })));
        r.post(WINDOWS, Router.Access.SIGNED_IN, ex -> ex.respond(answer(() -> ApiHandler.json(CREATED,
                Json.write(TicketJson.window(create(Requests.actor(ex.request), Requests.body(ex.request))))))));
        r.post(WINDOWS + "/{id}/end", Router.Access.SIGNED_IN, ex -> ex.respond(answer(() ->
                ApiHandler.json(OK, Json.write(TicketJson.window(windows.end(Requests.id(ex.param("id")))))))));
    }

    /** Runs one request, turning the ticket layer's refusals into 404 (unknown id), 409 (wrong state) and 400. */
    private static FullHttpResponse answer(java.util.function.Supplier<FullHttpResponse> work) {
        try {
            return work.get();
        } catch (TicketNotFoundException | java.util.NoSuchElementException e) {
            throw new ApiError(NOT_FOUND, e.getMessage());
        } catch (IllegalTransitionException e) {
            throw new ApiError(CONFLICT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiError(BAD_REQUEST, e.getMessage());
        }
    }

    private static TicketService.Query query(QueryStringDecoder q) {
        String limit = Requests.param(q, "limit");
        int n;
        try {
            n = limit.isEmpty() ? 500 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number");
        }
        try {
            return new TicketService.Query(Requests.param(q, "state"), Requests.param(q, "severity"), Requests.param(q, "agent"),
                    Requests.param(q, "rule"), Requests.param(q, "site"), Requests.param(q, "text"), n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad filter: " + e.getMessage()
                    + " (state: all, open, acknowledged, resolved, closed; severity: info, warning, critical)");
        }
    }

    private Ticket action(long id, String action, String actor, JsonNode body) {
        return switch (action) {
            case "ack", "acknowledge" -> tickets.acknowledge(id, actor);
            case "assign" -> tickets.assign(id, actor, Requests.text(body, "assignee"));
            case "comment" -> tickets.comment(id, actor, Requests.text(body, "text"));
            case "escalate" -> tickets.escalate(id, actor, Requests.text(body, "reason"));
            case "resolve" -> tickets.resolve(id, actor, Requests.text(body, "note"));
            case "reopen" -> tickets.reopen(id, actor, Requests.text(body, "reason"));
            default -> throw new ApiError(NOT_FOUND, "no action " + Json.quote(action)
                    + " (ack, assign, comment, escalate, resolve, reopen)");
        };
    }

    private MaintenanceWindow create(String actor, JsonNode body) {
        Instant start = instant(body, "startsAt", clock.instant());
        Instant end;
        if (!Requests.text(body, "duration").isEmpty()) {
            end = start.plus(Durations.parse(Requests.text(body, "duration")));
        } else {
            end = instant(body, "endsAt", null);
            if (end == null) {
                throw new IllegalArgumentException("give \"duration\" (e.g. 2h) or \"endsAt\"");
            }
        }
        return windows.create(MaintenanceWindow.Scope.parse(Requests.text(body, "scope")), Requests.text(body, "value"),
                start, end, Requests.text(body, "reason"), actor);
    }

    private static Instant instant(JsonNode body, String field, Instant fallback) {
        String v = Requests.text(body, field);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 instant such as 2026-11-29T10:00:00Z");
        }
    }

}

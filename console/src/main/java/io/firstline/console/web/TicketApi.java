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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The ticket API:
 * <pre>
 * GET  /api/tickets                 open and acknowledged tickets; ?state=all|open|acknowledged|resolved|closed,
 *                                   &amp;severity= &amp;agent= &amp;rule= &amp;site= &amp;text= &amp;limit=
 * GET  /api/tickets/{id}            one ticket with its timeline
 * POST /api/tickets/{id}/{action}   ack | assign | comment | escalate | resolve | reopen, JSON body
 *                                   {"actor": "...", "assignee": "...", "text": "...", "reason": "...", "note": "..."}
 * GET  /api/maintenance-windows     windows not yet over; ?all=true for every window
 * POST /api/maintenance-windows     {"scope": "agent|site|tag", "value": "...", "duration": "2h" or "endsAt": ISO,
 *                                   "startsAt": ISO (default now), "reason": "...", "actor": "..."}
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

    TicketApi(TicketService tickets, MaintenanceWindows windows, Clock clock) {
        this.tickets = tickets;
        this.windows = windows;
        this.clock = clock;
    }

    @Override
    public boolean handles(String path) {
        return path.equals(TICKETS) || path.startsWith(TICKETS + "/") || path.equals(WINDOWS) || path.startsWith(WINDOWS + "/");
    }

    @Override
    public FullHttpResponse handle(FullHttpRequest req, QueryStringDecoder q) {
        String path = q.path().endsWith("/") ? q.path().substring(0, q.path().length() - 1) : q.path();
        try {
            if (path.startsWith(WINDOWS)) {
                return windows(req, q, path.substring(WINDOWS.length()));
            }
            String[] parts = path.substring(TICKETS.length()).split("/");
            if (parts.length <= 1) {
                Requests.requireMethod(req, HttpMethod.GET);
                return ApiHandler.json(OK, Json.write(tickets.list(query(q)).stream().map(TicketJson::summary).toList()));
            }
            long id = Requests.id(parts[1]);
            if (parts.length == 2) {
                Requests.requireMethod(req, HttpMethod.GET);
                Ticket t = tickets.get(id).orElseThrow(() -> new TicketNotFoundException(id));
                return ApiHandler.json(OK, Json.write(TicketJson.detail(t, tickets.timeline(id))));
            }
            if (parts.length == 3) {
                Requests.requireMethod(req, HttpMethod.POST);
                Ticket t = action(id, parts[2], Requests.body(req));
                return ApiHandler.json(OK, Json.write(TicketJson.detail(t, tickets.timeline(id))));
            }
            throw new ApiError(NOT_FOUND, "no such path");
        } catch (TicketNotFoundException e) {
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

    private Ticket action(long id, String action, JsonNode body) {
        String actor = Requests.text(body, "actor");
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

    private FullHttpResponse windows(FullHttpRequest req, QueryStringDecoder q, String rest) {
        if (rest.isEmpty()) {
            if (req.method().equals(HttpMethod.POST)) {
                return ApiHandler.json(CREATED, Json.write(TicketJson.window(create(Requests.body(req)))));
            }
            Requests.requireMethod(req, HttpMethod.GET);
            boolean all = Requests.param(q, "all").equals("true");
            return ApiHandler.json(OK, Json.write(windows.list(all).stream().map(TicketJson::window).toList()));
        }
        String[] parts = rest.split("/");
        if (parts.length == 3 && parts[2].equals("end")) {
            Requests.requireMethod(req, HttpMethod.POST);
            return ApiHandler.json(OK, Json.write(TicketJson.window(windows.end(Requests.id(parts[1])))));
        }
        throw new ApiError(NOT_FOUND, "no such path");
    }

    private MaintenanceWindow create(JsonNode body) {
        String actor = Requests.text(body, "actor");
        if (actor.isEmpty()) {
            throw new IllegalArgumentException("who creates the window must be given as \"actor\"");
        }
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

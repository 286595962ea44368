package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.CONFLICT;
import static io.netty.handler.codec.http.HttpResponseStatus.CREATED;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.tickets.IllegalTransitionException;
import io.firstline.console.tickets.MaintenanceWindow;
import io.firstline.console.tickets.MaintenanceWindows;
import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketNotFoundException;
import io.firstline.console.tickets.TicketService;
import io.firstline.console.tickets.TicketState;
import io.firstline.console.tickets.UserTickets;
import io.firstline.rules.Severity;
import io.firstline.wire.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The ticket API:
 * <pre>
 * GET  /api/tickets                 open and acknowledged tickets; ?state=all|open|acknowledged|resolved|closed,
 *                                   &amp;severity= &amp;agent= &amp;rule= &amp;site= &amp;text= &amp;limit=
 * GET  /api/tickets/{id}            one ticket with its timeline and suggestedArticles [{id, title, score, reason}]
 * POST /api/tickets/{id}/{action}   ack | assign | comment | escalate | resolve | reopen, JSON body
 *                                   {"assignee": "...", "text": "...", "reason": "...", "note": "..."}; the actor is
 *                                   the signed-in user (or API token owner); resolve also takes "comment" (as
 *                                   "note"), "articleId" (resolved with that knowledge-base article; an unknown one
 *                                   is 400) and "sendUserText": true (the article's user text goes to the user)
 * GET  /api/maintenance-windows     windows not yet over; ?all=true for every window
 * POST /api/maintenance-windows     {"scope": "agent|site|tag", "value": "...", "duration": "2h" or "endsAt": ISO,
 *                                   "startsAt": ISO (default now), "reason": "..."}
 * POST /api/maintenance-windows/{id}/end
 * </pre>
 * A ticket id that is not a number answers 400, an unknown one 404. An
 * action the ticket's state does not allow answers 409 with the reason. The
 * assignee must be an existing user; a window's agent must be enrolled or
 * connected, and a window lasts at most {@link #MAX_WINDOW} and starts
 * within {@link #MAX_WINDOW_LEAD} from now. Text limits: {@link Fields}.
 */
final class TicketApi implements ApiModule {
    static final Duration MAX_WINDOW = Duration.ofDays(31);
    static final Duration MAX_WINDOW_LEAD = Duration.ofDays(365);

    private final TicketService tickets;
    private final UserTickets userTickets;
    private final MaintenanceWindows windows;
    private final Clock clock;
    private final Predicate<String> agentKnown;
    private final Predicate<String> userExists;
    private final Function<String, String> hostStatus;
    private final TicketArticles articles;

    /**
     * @param agentKnown whether an agent id is enrolled or connected (a window's agent must be)
     * @param userExists whether a user name exists (an assignee must)
     * @param hostStatus an agent id to "online", "offline" or "unknown" (shown with each ticket)
     * @param articles the knowledge base's suggestions and resolve-with-article
     */
    TicketApi(TicketService tickets, MaintenanceWindows windows, Clock clock, Predicate<String> agentKnown,
              Predicate<String> userExists, Function<String, String> hostStatus, TicketArticles articles) {
        this.tickets = tickets;
        this.userTickets = new UserTickets(tickets);
        this.windows = windows;
        this.clock = clock;
        this.agentKnown = agentKnown;
        this.userExists = userExists;
        this.hostStatus = hostStatus;
        this.articles = articles;
    }

    /** The ticket's JSON with whether its host is online now, so the desk can say a host is offline. */
    private Map<String, Object> withHost(Map<String, Object> json, Ticket t) {
        json.put("hostStatus", hostStatus.apply(t.agentId()));
        return json;
    }

    /** A ticket action: what it does with the ticket, the actor and the body. */
    @FunctionalInterface
    private interface Action {
        Ticket apply(long id, String actor, JsonNode body);
    }

    @Override
    public void register(Router r) {
        r.get("/api/tickets", Router.Access.SIGNED_IN, guarded(ex -> {
            TicketSla sla = new TicketSla(tickets.policy(), tickets.slaStarts());
            ex.respond(OK, tickets.list(query(ex)).stream().map(t -> withHost(sla.add(TicketJson.summary(t), t), t)).toList());
        }));
        r.get("/api/tickets/{id}", Router.Access.SIGNED_IN, guarded(ex -> {
            long id = ex.idParam("id");
            Ticket t = tickets.get(id).orElseThrow(() -> new TicketNotFoundException(id));
            TicketSla sla = new TicketSla(tickets.policy(), tickets.slaStarts());
            Map<String, Object> detail = sla.add(TicketJson.detail(t, tickets.timeline(id)), t);
            if (t.source().equals(Ticket.USER)) {
                userTickets.report(id).ifPresent(rep -> detail.put("report", TicketJson.report(rep, rep.related().stream()
                        .map(tickets::get).flatMap(java.util.Optional::stream).toList())));
            }
            detail.put("suggestedArticles", KbJson.suggestions(articles.suggest(t)));
            ex.respond(OK, withHost(detail, t));
        }));
        action(r, "ack", (id, actor, body) -> tickets.acknowledge(id, actor));
        action(r, "acknowledge", (id, actor, body) -> tickets.acknowledge(id, actor));
        action(r, "assign", (id, actor, body) -> tickets.assign(id, actor, assignee(body)));
        action(r, "comment", (id, actor, body) -> tickets.comment(id, actor, Fields.text(body, "text", Fields.LONG)));
        action(r, "escalate", (id, actor, body) -> tickets.escalate(id, actor, Fields.line(body, "reason", Fields.SHORT)));
        action(r, "resolve", this::resolve);
        action(r, "reopen", (id, actor, body) -> tickets.reopen(id, actor, Fields.line(body, "reason", Fields.SHORT)));
        action(r, "reply", (id, actor, body) -> tickets.reply(id, actor, body.path("text").asText(""), flag(body, "public")));
        r.get("/api/maintenance-windows", Router.Access.SIGNED_IN, guarded(ex -> {
            boolean all = ex.queryParam("all", "false").equals("true");
            ex.respond(OK, windows.list(all).stream().map(TicketJson::window).toList());
        }));
        r.post("/api/maintenance-windows", Router.Access.SIGNED_IN, guarded(ex ->
                ex.respond(CREATED, TicketJson.window(create(ex.actor(), ex.json())))));
        r.post("/api/maintenance-windows/{id}/end", Router.Access.SIGNED_IN, guarded(ex ->
                ex.respond(OK, TicketJson.window(windows.end(ex.idParam("id"))))));
    }

    private void action(Router r, String name, Action action) {
        r.post("/api/tickets/{id}/" + name, Router.Access.SIGNED_IN, guarded(ex -> {
            long id = ex.idParam("id");
            Ticket t = action.apply(id, ex.actor(), ex.json());
            ex.respond(OK, withHost(TicketJson.detail(t, tickets.timeline(id)), t));
        }));
    }

    /** The ticket service's refusals as API errors: 404 unknown, 409 not allowed now, 400 bad input. */
    private static Router.Handler guarded(Router.Handler h) {
        return ex -> {
            try {
                h.handle(ex);
            } catch (TicketNotFoundException | java.util.NoSuchElementException e) {
                throw ApiError.notFound(e.getMessage());
            } catch (IllegalTransitionException e) {
                throw new ApiError(CONFLICT, e.getMessage());
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(e.getMessage());
            }
        };
    }

    private String assignee(JsonNode body) {
        String who = Fields.requiredLine(body, "assignee", Fields.SHORT);
        if (!userExists.test(who)) {
            throw ApiError.badRequest("'assignee' must be an existing user name, got " + Json.quote(Fields.clip(who)));
        }
        return who;
    }

    private static TicketService.Query query(Exchange ex) {
        String state = ex.queryParam("state", "");
        if (!state.isEmpty() && !state.equals("all")) {
            try {
                TicketState.parse(state);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("query parameter 'state' must be all, open, acknowledged, resolved or closed, got "
                        + Json.quote(Fields.clip(state)));
            }
        }
        String severity = ex.queryParam("severity", "");
        if (!severity.isEmpty()) {
            try {
                Severity.parse(severity);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("query parameter 'severity' must be info, warning or critical, got "
                        + Json.quote(Fields.clip(severity)));
            }
        }
        String source = ex.queryParam("source", "");
        if (!source.isEmpty() && !java.util.Set.of(Ticket.FAULT, Ticket.USER, io.firstline.console.tickets.ExternalTickets.ALERT,
                io.firstline.console.tickets.ExternalTickets.ENGINEER).contains(source)) {
            throw ApiError.badRequest("query parameter 'source' must be fault, user, alert or engineer, got "
                    + Json.quote(Fields.clip(source)));
        }
        int limit = ex.intQueryParam("limit", 500, 1, 5000);
        return new TicketService.Query(state, severity, ex.queryParam("agent", ""), ex.queryParam("rule", ""),
                ex.queryParam("site", ""), ex.queryParam("text", ""), limit, source);
    }

    /** A boolean field: absent or null is false; anything but true or false is a 400. */
    private static boolean flag(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiError.badRequest("'" + field + "' must be true or false");
        }
        return v.booleanValue();
    }

    private Ticket resolve(long id, String actor, JsonNode body) {
        String note = Fields.text(body, "note", Fields.LONG);
        if (note.isEmpty()) {
            note = Fields.text(body, "comment", Fields.LONG);
        }
        String article = Fields.line(body, "articleId", Fields.SHORT);
        if (article.isEmpty()) {
            return tickets.resolve(id, actor, note);
        }
        return tickets.resolve(id, actor, note, articles.resolveWith(article, actor, body.path("sendUserText").asBoolean(false)));
    }

    private MaintenanceWindow create(String actor, JsonNode body) {
        Instant now = clock.instant();
        MaintenanceWindow.Scope scope;
        String scopeText = Fields.requiredLine(body, "scope", Fields.NAME);
        try {
            scope = MaintenanceWindow.Scope.parse(scopeText);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'scope' must be agent, site or tag, got " + Json.quote(scopeText));
        }
        String value = Fields.requiredLine(body, "value", scope == MaintenanceWindow.Scope.AGENT ? Fields.NAME : Fields.SHORT);
        if (scope == MaintenanceWindow.Scope.AGENT && !agentKnown.test(value)) {
            throw ApiError.badRequest("'value' must be the id of an enrolled agent, got " + Json.quote(value));
        }
        Instant start = instant(body, "startsAt", now);
        if (start.isAfter(now.plus(MAX_WINDOW_LEAD))) {
            throw ApiError.badRequest("'startsAt' must be within " + Durations.format(MAX_WINDOW_LEAD) + " from now");
        }
        Instant end;
        if (body.hasNonNull("duration")) {
            end = start.plus(Fields.duration(body, "duration", MAX_WINDOW, Duration.ofMinutes(1), MAX_WINDOW));
        } else {
            end = instant(body, "endsAt", null);
            if (end == null) {
                throw ApiError.badRequest("give 'duration' (e.g. 2h, at most " + Durations.format(MAX_WINDOW) + ") or 'endsAt'");
            }
            if (!end.isAfter(start) || Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
                throw ApiError.badRequest("'endsAt' must be after 'startsAt' and at most " + Durations.format(MAX_WINDOW) + " later");
            }
        }
        return windows.create(scope, value, start, end, Fields.line(body, "reason", Fields.SHORT), actor);
    }

    private static Instant instant(JsonNode body, String field, Instant fallback) {
        String v = Fields.line(body, field, Fields.NAME);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("'" + field + "' must be an ISO-8601 instant such as 2026-11-29T10:00:00Z");
        }
    }

}

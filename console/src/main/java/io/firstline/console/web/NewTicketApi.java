package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.CREATED;
import static io.netty.handler.codec.http.HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.tickets.ExternalTickets;
import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketService;
import io.firstline.rules.Severity;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code POST /api/tickets} {"title", "description", "severity", "agentId"?}: a
 * ticket an engineer opens by hand (a call from a customer, a problem seen
 * elsewhere) → 201 with the ticket. {@code agentId}, when given, must be a
 * known agent. Such a ticket has no fault behind it, so only a person
 * resolves it.
 */
final class NewTicketApi implements ApiModule {
    private final TicketService tickets;
    private final ExternalTickets external;
    private final Predicate<String> knownAgent;
    private final Function<String, String> hostStatus;

    /** @param hostStatus an agent id to "online", "offline" or "unknown", as {@link TicketApi} shows it */
    NewTicketApi(TicketService tickets, Predicate<String> knownAgent, Function<String, String> hostStatus) {
        this.tickets = tickets;
        this.external = new ExternalTickets(tickets);
        this.knownAgent = knownAgent;
        this.hostStatus = hostStatus;
    }

    @Override
    public void register(Router r) {
        r.post("/api/tickets", Router.Access.SIGNED_IN, ex -> {
            if (!ex.request.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new ApiError(UNSUPPORTED_MEDIA_TYPE, "send a JSON object with Content-Type: application/json");
            }
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(ex.request.content().toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ApiError(BAD_REQUEST, "the body is not valid JSON");
            }
            if (body == null || !body.isObject()) {
                throw new ApiError(BAD_REQUEST, "the body must be a JSON object");
            }
            String severity = text(body, "severity");
            String agent = text(body, "agentId");
            if (!agent.isEmpty() && !knownAgent.test(agent)) {
                throw new ApiError(BAD_REQUEST, "no agent " + Json.quote(agent));
            }
            Ticket t;
            try {
                Severity s = severity.isEmpty() ? Severity.WARNING : Severity.parse(severity);
                t = external.openByHand(text(body, "title"), text(body, "description"), s, agent, ex.principal.username());
            } catch (IllegalArgumentException e) {
                throw new ApiError(BAD_REQUEST, e.getMessage());
            }
            java.util.Map<String, Object> json = TicketJson.detail(t, tickets.timeline(t.id()));
            json.put("hostStatus", hostStatus.apply(t.agentId()));
            ex.respond(ApiHandler.json(CREATED, Json.write(json)));
        });
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new ApiError(BAD_REQUEST, "\"" + field + "\" must be a string");
        }
        return v.asText().strip();
    }
}

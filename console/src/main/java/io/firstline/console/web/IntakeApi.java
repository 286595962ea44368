package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.CREATED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;
import static io.netty.handler.codec.http.HttpResponseStatus.UNAUTHORIZED;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.fleet.AgentSummary;
import io.firstline.console.intake.AlertmanagerPayload;
import io.firstline.console.intake.IntakeTokens;
import io.firstline.console.store.StoreException;
import io.firstline.console.tickets.ExternalTickets;
import io.firstline.console.tickets.TicketService;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts from outside monitoring and the tokens that may send them:
 * <pre>
 * POST   /api/intake/alertmanager      Alertmanager webhook payload v4; Authorization: Bearer INTAKE-TOKEN; body ≤ 1 MiB
 * POST   /api/intake-tokens            admin: {"name"?} → 201 {"id", "token"} (the token is shown once)
 * GET    /api/intake-tokens            admin: every token, without the secret
 * DELETE /api/intake-tokens/{id}       admin: revoke → 204
 * </pre>
 * The intake answers 200 with what each alert did when the alerts are
 * stored, 400 for an invalid payload (or when no alert in it is valid), 401
 * without a live intake token, 413 over 1 MiB and 503 with
 * {@code Retry-After} when the store cannot take them, so that Alertmanager
 * retries; never 429, which Alertmanager drops.
 */
final class IntakeApi implements ApiModule {
    static final String ALERTMANAGER = "/api/intake/alertmanager";
    static final String TOKENS = "/api/intake-tokens";
    /** Alertmanager groups many alerts in one post; 1 MiB holds a few thousand. */
    static final int MAX_BODY = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(IntakeApi.class);

    private final IntakeTokens tokens;
    private final ExternalTickets tickets;
    private final Supplier<List<AgentSummary>> agents;

    IntakeApi(IntakeTokens tokens, TicketService tickets, Supplier<List<AgentSummary>> agents) {
        this.tokens = tokens;
        this.tickets = new ExternalTickets(tickets);
        this.agents = agents;
    }

    @Override
    public void register(Router r) {
        r.post(ALERTMANAGER, Router.Access.ANYONE, MAX_BODY, ex -> ex.respond(alertmanager(ex)));
        r.post(TOKENS, Router.Access.ADMIN, ex -> {
            JsonNode body = body(ex);
            JsonNode name = body.get("name");
            if (name != null && !name.isNull() && !name.isTextual()) {
                throw new ApiError(BAD_REQUEST, "\"name\" must be a string");
            }
            try {
                IntakeTokens.Created c = tokens.create(name == null || name.isNull() ? "" : name.asText(),
                        ex.principal.username());
                ex.respond(ApiHandler.json(CREATED, Json.write(Map.of("id", c.id(), "token", c.token()))));
            } catch (IllegalArgumentException e) {
                throw new ApiError(BAD_REQUEST, e.getMessage());
            }
        });
        r.get(TOKENS, Router.Access.ADMIN, ex -> ex.respond(ApiHandler.json(OK, Json.write(tokens.list().stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("name", t.name());
            m.put("createdBy", t.createdBy());
            m.put("createdAt", t.createdAt());
            m.put("lastUsedAt", t.lastUsedAt());
            m.put("revokedAt", t.revokedAt());
            return m;
        }).toList()))));
        r.delete(TOKENS + "/{id}", Router.Access.ADMIN, ex -> {
            if (!tokens.revoke(ex.idParam("id"))) {
                throw new ApiError(NOT_FOUND, "no live intake token " + Json.quote(ex.param("id")));
            }
            ex.respond(ApiHandler.text(io.netty.handler.codec.http.HttpResponseStatus.NO_CONTENT, "", "text/plain"));
        });
    }

    private static JsonNode body(Exchange ex) {
        String text = ex.request.content().toString(StandardCharsets.UTF_8);
        try {
            JsonNode n = text.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
            if (n == null || !n.isObject()) {
                throw new ApiError(BAD_REQUEST, "the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ApiError(BAD_REQUEST, "the body is not valid JSON");
        }
    }

    private FullHttpResponse alertmanager(Exchange ex) {
        String auth = ex.header(HttpHeaderNames.AUTHORIZATION);
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : "";
        String tokenName;
        try {
            tokenName = tokens.check(token).orElse(null);
        } catch (StoreException e) {
            return unavailable(e);
        }
        if (tokenName == null) {
            FullHttpResponse r = ApiHandler.json(UNAUTHORIZED, Json.write(Map.of("error",
                    "send Authorization: Bearer <intake token> (admins make them: POST /api/intake-tokens)")));
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"firstline-intake\"");
            return r;
        }
        AlertmanagerPayload.Parsed parsed;
        try {
            parsed = AlertmanagerPayload.parse(body(ex));
        } catch (IllegalArgumentException e) {
            throw new ApiError(BAD_REQUEST, e.getMessage());
        }
        List<Map<String, Object>> rejected = parsed.rejected().stream()
                .map(x -> Map.<String, Object>of("index", x.index(), "error", x.error())).toList();
        if (parsed.alerts().isEmpty() && !parsed.rejected().isEmpty()) {
            return ApiHandler.json(BAD_REQUEST, Json.write(Map.of("error", "no alert in the payload is valid",
                    "rejected", rejected)));
        }
        Map<String, String> byHost = hosts();
        List<ExternalTickets.Alert> alerts = new ArrayList<>();
        String actor = "alertmanager (" + tokenName + ")";
        for (AlertmanagerPayload.Alert a : parsed.alerts()) {
            String host = a.host();
            String agent = byHost.getOrDefault(host.toLowerCase(Locale.ROOT), "");
            alerts.add(new ExternalTickets.Alert("alertmanager/" + a.fingerprint(), a.firing(), agent, host,
                    "alertmanager:" + a.alertName(), a.fingerprint(), a.severity(), a.title(), description(a), actor));
        }
        List<TicketService.Outcome> done;
        try {
            done = tickets.apply(alerts, c -> tokens.touch(c, token));
        } catch (StoreException e) {
            return unavailable(e);
        }
        Map<String, Long> effects = done.stream().collect(Collectors.groupingBy(
                o -> o.effect().name().toLowerCase(Locale.ROOT), LinkedHashMap::new, Collectors.counting()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accepted", alerts.size());
        for (String k : List.of("opened", "reopened", "resolved", "unchanged")) {
            out.put(k, effects.getOrDefault(k, 0L));
        }
        out.put("tickets", done.stream().map(o -> o.ticket().map(t -> (Object) t.id()).orElse(null)).toList());
        out.put("rejected", rejected);
        return ApiHandler.json(OK, Json.write(out));
    }

    private static FullHttpResponse unavailable(StoreException e) {
        log.warn("alert intake: the store cannot take alerts now, answering 503 so the sender retries: {}", e.toString());
        FullHttpResponse r = ApiHandler.json(SERVICE_UNAVAILABLE, Json.write(Map.of("error",
                "the console cannot store alerts right now; retry")));
        r.headers().set(HttpHeaderNames.RETRY_AFTER, "10");
        return r;
    }

    /** Known agents by lower-case host name and by id, for the {@code hostname}/{@code instance} labels. */
    private Map<String, String> hosts() {
        Map<String, String> m = new HashMap<>();
        for (AgentSummary a : agents.get()) {
            if (a.hostname() != null && !a.hostname().isEmpty()) {
                m.putIfAbsent(a.hostname().toLowerCase(Locale.ROOT), a.id());
                int dot = a.hostname().indexOf('.');
                if (dot > 0) {
                    m.putIfAbsent(a.hostname().substring(0, dot).toLowerCase(Locale.ROOT), a.id());
                }
            }
            m.put(a.id().toLowerCase(Locale.ROOT), a.id());
        }
        return m;
    }

    /** The ticket's description: the alert's description annotation, its labels and where it came from. */
    private static String description(AlertmanagerPayload.Alert a) {
        StringBuilder sb = new StringBuilder();
        String d = a.annotations().getOrDefault("description", "").strip();
        if (!d.isEmpty()) {
            sb.append(d).append("\n\n");
        }
        sb.append("Alertmanager alert ").append(a.fingerprint());
        if (a.startsAt() != null) {
            sb.append(", firing since ").append(a.startsAt());
        }
        sb.append(".\nLabels:");
        new java.util.TreeMap<>(a.labels()).forEach((k, v) -> sb.append("\n  ").append(k).append("=").append(v));
        if (!a.generatorUrl().isEmpty()) {
            sb.append("\nSource: ").append(a.generatorUrl());
        }
        return sb.toString();
    }
}

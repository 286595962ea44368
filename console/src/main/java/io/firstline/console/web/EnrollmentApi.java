package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.CREATED;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.NO_CONTENT;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.enroll.AuditEntry;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.enroll.TokenInfo;
import io.firstline.wire.Durations;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The enrollment part of the HTTP API, for the web console's admin pages:
 * {@code POST/GET /api/tokens}, {@code DELETE /api/tokens/{id}},
 * {@code POST /api/agents/{id}/revoke} and {@code GET /api/audit}. Only
 * admins reach it: {@link WebHandler} answers 403 to anyone else on
 * {@link #serves these paths}. A new token's answer carries its secret (the
 * only time it is shown), the CA fingerprint and the agent link's address,
 * which the admin page turns into the agent install command.
 */
final class EnrollmentApi implements ApiModule {
    private final Enrollment enrollment;
    private final Consumer<String> disconnect;
    private final Clock clock;
    private final String agentHost;
    private final int agentPort;

    /**
     * @param agentHost the host agents reach the console's agent link on, or
     *                  null when it listens on every interface (the page then
     *                  uses the host name the browser reached)
     * @param agentPort the agent link's port
     */
    EnrollmentApi(Enrollment enrollment, Consumer<String> disconnect, Clock clock, String agentHost, int agentPort) {
        this.enrollment = enrollment;
        this.disconnect = disconnect;
        this.clock = clock;
        this.agentHost = agentHost;
        this.agentPort = agentPort;
    }

    @Override
    public boolean handles(String path) {
        return serves(path);
    }

    /** The paths of this module; {@link WebHandler} lets only admins reach them. */
    static boolean serves(String path) {
        return path.equals("/api/tokens") || path.startsWith("/api/tokens/") || path.equals("/api/audit")
                || path.startsWith("/api/agents/") && path.endsWith("/revoke");
    }

    @Override
    public FullHttpResponse handle(FullHttpRequest req, QueryStringDecoder query) {
        return handle(req, query.path()).orElseGet(() -> notAllowed("GET"));
    }

    /** Answers the request if it is one of ours. */
    Optional<FullHttpResponse> handle(FullHttpRequest req, String path) {
        HttpMethod m = req.method();
        if (path.equals("/api/tokens") || path.equals("/api/tokens/")) {
            if (m.equals(HttpMethod.GET)) {
                return Optional.of(ApiHandler.json(OK, Json.write(enrollment.tokens().stream().map(this::tokenJson).toList())));
            }
            if (m.equals(HttpMethod.POST)) {
                return Optional.of(create(req));
            }
            return Optional.of(notAllowed("GET, POST"));
        }
        if (path.startsWith("/api/tokens/")) {
            if (!m.equals(HttpMethod.DELETE)) {
                return Optional.of(notAllowed("DELETE"));
            }
            String id = path.substring("/api/tokens/".length());
            return Optional.of(enrollment.revokeToken(id, actor(req)) ? ApiHandler.json(NO_CONTENT, "")
                    : ApiHandler.json(NOT_FOUND, error("no active token " + Json.quote(id))));
        }
        if (path.startsWith("/api/agents/") && path.endsWith("/revoke")) {
            if (!m.equals(HttpMethod.POST)) {
                return Optional.of(notAllowed("POST"));
            }
            String id = path.substring("/api/agents/".length(), path.length() - "/revoke".length());
            if (!enrollment.revokeAgent(id, actor(req))) {
                return Optional.of(ApiHandler.json(NOT_FOUND, error("no enrolled, unrevoked agent " + Json.quote(id))));
            }
            disconnect.accept(id);
            return Optional.of(ApiHandler.json(OK, Json.write(Map.of("id", id, "enrollment", "revoked"))));
        }
        if (path.equals("/api/audit") && m.equals(HttpMethod.GET)) {
            int limit = new QueryStringDecoder(req.uri()).parameters().getOrDefault("limit", List.of("100")).stream()
                    .findFirst().map(EnrollmentApi::limit).orElse(100);
            return Optional.of(ApiHandler.json(OK, Json.write(enrollment.audit(limit).stream().map(EnrollmentApi::auditJson).toList())));
        }
        return Optional.empty();
    }

    private FullHttpResponse create(FullHttpRequest req) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(req.content().toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return ApiHandler.json(BAD_REQUEST, error("the body must be JSON: {\"site\": ..., \"ttl\": \"24h\", \"maxUses\": 1}"));
        }
        if (body == null || !body.path("site").isTextual()) {
            return ApiHandler.json(BAD_REQUEST, error("'site' is required"));
        }
        try {
            Duration ttl = Durations.parse(body.path("ttl").asText("24h"));
            int maxUses = body.path("maxUses").asInt(1);
            TokenInfo t = enrollment.createToken(body.path("site").asText(), ttl, maxUses, actor(req));
            Map<String, Object> m = tokenJson(t);
            m.put("token", t.secret());
            m.put("caFingerprint", enrollment.caFingerprint());
            m.put("agentHost", agentHost);
            m.put("agentPort", agentPort);
            return ApiHandler.json(CREATED, Json.write(m));
        } catch (IllegalArgumentException e) {
            return ApiHandler.json(BAD_REQUEST, error(e.getMessage()));
        }
    }

    /** Who made the request, as {@link AuthGate} set it; "api" when nobody is signed in (tests without the gate). */
    private static String actor(FullHttpRequest req) {
        String who = req.headers().get(AuthGate.ACTOR_HEADER);
        return who == null || who.isBlank() ? "api" : who;
    }

    private Map<String, Object> tokenJson(TokenInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("site", t.site());
        m.put("state", t.state(clock.instant()));
        m.put("createdAt", t.createdAt());
        m.put("expiresAt", t.expiresAt());
        m.put("maxUses", t.maxUses());
        m.put("uses", t.uses());
        m.put("revokedAt", t.revokedAt());
        m.put("createdBy", t.createdBy());
        return m;
    }

    private static Map<String, Object> auditJson(AuditEntry a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("at", Instant.ofEpochMilli(a.atMs()));
        m.put("actor", a.actor());
        m.put("action", a.action());
        m.put("subject", a.subject());
        m.put("detail", a.detail());
        return m;
    }

    private static int limit(String s) {
        try {
            return Math.max(1, Math.min(1000, Integer.parseInt(s)));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private static FullHttpResponse notAllowed(String allow) {
        FullHttpResponse r = ApiHandler.json(METHOD_NOT_ALLOWED, error("allowed here: " + allow));
        r.headers().set(HttpHeaderNames.ALLOW, allow);
        return r;
    }

    private static String error(String message) {
        return Json.write(Map.of("error", message));
    }
}

package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.CREATED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.NO_CONTENT;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.enroll.TokenInfo;
import io.firstline.wire.Durations;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The enrollment part of the HTTP API, for the web console's admin pages:
 * {@code POST/GET /api/tokens}, {@code DELETE /api/tokens/{id}} and
 * {@code POST /api/agents/{id}/revoke}, for admins only. A new token's answer carries its secret (the
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
    public void register(Router r) {
        r.get("/api/tokens", Router.Access.ADMIN, ex -> ex.respond(
                ApiHandler.json(OK, Json.write(enrollment.tokens().stream().map(this::tokenJson).toList()))));
        r.post("/api/tokens", Router.Access.ADMIN, ex -> ex.respond(create(ex.request)));
        r.delete("/api/tokens/{id}", Router.Access.ADMIN, ex -> {
            String id = ex.param("id");
            ex.respond(enrollment.revokeToken(id, actor(ex.request)) ? ApiHandler.json(NO_CONTENT, "")
                    : ApiHandler.json(NOT_FOUND, error("no active token " + Json.quote(id))));
        });
        r.post("/api/agents/{id}/revoke", Router.Access.ADMIN, ex -> {
            String id = ex.param("id");
            if (!enrollment.revokeAgent(id, actor(ex.request))) {
                ex.respond(ApiHandler.json(NOT_FOUND, error("no enrolled, unrevoked agent " + Json.quote(id))));
                return;
            }
            disconnect.accept(id);
            ex.respond(ApiHandler.json(OK, Json.write(Map.of("id", id, "enrollment", "revoked"))));
        });
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

    private static String error(String message) {
        return Json.write(Map.of("error", message));
    }
}

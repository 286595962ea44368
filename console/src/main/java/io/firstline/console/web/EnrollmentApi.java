package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.CREATED;
import static io.netty.handler.codec.http.HttpResponseStatus.NO_CONTENT;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.enroll.InstallCodes;
import io.firstline.console.enroll.TokenInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The enrollment part of the HTTP API, for the web console's admin pages,
 * admins only: {@code POST/GET /api/tokens}, {@code DELETE /api/tokens/{id}}
 * and {@code POST /api/agents/{id}/revoke}. A new token's answer carries its
 * secret (the only time it is shown), the CA fingerprint, the agent
 * link's address and a single-use install code ({@link InstallCodes}), which
 * the admin page turns into the one-line agent install command.
 */
final class EnrollmentApi implements ApiModule {
    private final Enrollment enrollment;
    private final Consumer<String> disconnect;
    private final Clock clock;
    private final InstallCodes installCodes;
    private final String agentHost;
    private final int agentPort;

    /**
     * @param agentHost the host agents reach the console's agent link on, or
     *                  null when it listens on every interface (the page then
     *                  uses the host name the browser reached)
     * @param agentPort the agent link's port
     */
    EnrollmentApi(Enrollment enrollment, Consumer<String> disconnect, Clock clock, InstallCodes installCodes,
                  String agentHost, int agentPort) {
        this.enrollment = enrollment;
        this.disconnect = disconnect;
        this.clock = clock;
        this.installCodes = installCodes;
        this.agentHost = agentHost;
        this.agentPort = agentPort;
    }

    @Override
    public void register(Router r) {
        r.get("/api/tokens", Router.Access.ADMIN, ex -> ex.respond(OK, enrollment.tokens().stream().map(this::tokenJson).toList()));
        r.post("/api/tokens", Router.Access.ADMIN, this::create);
        r.delete("/api/tokens/{id}", Router.Access.ADMIN, ex -> {
            String id = Fields.checkLength("id", ex.param("id"), Fields.NAME);
            if (!enrollment.revokeToken(id, ex.actor())) {
                throw ApiError.notFound("no active token " + Json.quote(id));
            }
            ex.respond(ApiHandler.json(NO_CONTENT, ""));
        });
        r.post("/api/agents/{id}/revoke", Router.Access.ADMIN, ex -> {
            String id = Fields.checkLength("id", ex.param("id"), Fields.NAME);
            if (!enrollment.revokeAgent(id, ex.actor())) {
                throw ApiError.notFound("no enrolled, unrevoked agent " + Json.quote(id));
            }
            disconnect.accept(id);
            ex.respond(OK, Map.of("id", id, "enrollment", "revoked"));
        });
    }

    /** {"site": required, "ttl": "24h" (1m-365d), "maxUses": 1}. */
    private void create(Exchange ex) {
        JsonNode body = ex.json();
        String site = Fields.requiredLine(body, "site", Fields.NAME);
        Duration ttl = Fields.duration(body, "ttl", Duration.ofHours(24), Duration.ofMinutes(1), Enrollment.MAX_TTL);
        int maxUses = Fields.integer(body, "maxUses", 1, 1, Enrollment.MAX_USES);
        TokenInfo t;
        try {
            t = enrollment.createToken(site, ttl, maxUses, ex.actor());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'site' " + e.getMessage().replaceFirst("^site ", ""));
        }
        Map<String, Object> m = tokenJson(t);
        m.put("token", t.secret());
        m.put("caFingerprint", enrollment.caFingerprint());
        m.put("agentHost", agentHost);
        m.put("agentPort", agentPort);
        InstallCodes.Issued code = installCodes.issue(t.secret(), t.expiresAt());
        m.put("installCode", code.code());
        m.put("installCodeExpiresAt", code.expiresAt());
        ex.respond(CREATED, m);
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
}

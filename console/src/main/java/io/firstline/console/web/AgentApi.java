package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import io.firstline.console.enroll.Enrollment;
import io.firstline.console.fleet.FleetState;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/agents} (a JSON array, one summary per agent) and
 * {@code GET /api/agents/{id}} (everything the console knows of one agent),
 * each with the agent's enrollment state. Shapes in {@link AgentJson}.
 */
final class AgentApi implements ApiModule {
    private final FleetState fleet;
    private final Enrollment enrollment;

    AgentApi(FleetState fleet, Enrollment enrollment) {
        this.fleet = fleet;
        this.enrollment = enrollment;
    }

    @Override
    public void register(Router r) {
        r.get("/api/agents", Router.Access.SIGNED_IN, ex -> ex.respond(ApiHandler.json(OK, list())));
        r.get("/api/agents/{id}", Router.Access.SIGNED_IN, ex -> {
            String id = ex.param("id");
            ex.respond(fleet.get(id).map(a -> {
                Map<String, Object> m = AgentJson.detail(a, fleet);
                m.put("enrollment", enrollment.revoked(id).map(revoked -> revoked ? "revoked" : "enrolled").orElse("unknown"));
                m.put("spoolDropped", fleet.spoolDropped(id));
                return ApiHandler.json(OK, Json.write(m));
            }).orElseGet(() -> ApiHandler.error(NOT_FOUND, "no agent with id " + Json.quote(Fields.clip(id)))));
        });
    }

    private String list() {
        Set<String> revoked = enrollment.revokedAgents();
        return Json.write(fleet.list().stream().map(a -> {
            Map<String, Object> m = AgentJson.summary(a, fleet);
            m.put("enrollment", revoked.contains(a.id()) ? "revoked" : "enrolled");
            return m;
        }).toList());
    }
}

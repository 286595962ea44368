package io.firstline.console.web;

import io.firstline.console.fleet.FleetState;
import io.firstline.console.metrics.ConsoleMetrics;
import io.firstline.console.enroll.Enrollment;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;

/** Serves the HTTP routes from the live fleet state and the metrics registry. */
public final class ConsoleRoutes implements ApiHandler.Routes {
    private final FleetState fleet;
    private final ConsoleMetrics metrics;
    private final BooleanSupplier ready;
    private final Enrollment enrollment;
    private final EnrollmentApi enrollmentApi;

    public ConsoleRoutes(FleetState fleet, ConsoleMetrics metrics, BooleanSupplier ready, Enrollment enrollment,
                         Consumer<String> disconnect) {
        this.fleet = fleet;
        this.metrics = metrics;
        this.ready = ready;
        this.enrollment = enrollment;
        this.enrollmentApi = new EnrollmentApi(enrollment, disconnect, Clock.systemUTC());
    }

    @Override
    public Optional<FullHttpResponse> feature(FullHttpRequest req, String path) {
        return enrollmentApi.handle(req, path);
    }

    @Override
    public boolean ready() {
        return ready.getAsBoolean();
    }

    @Override
    public String metrics() {
        return metrics.scrape();
    }

    @Override
    public String agentsJson() {
        Set<String> revoked = enrollment.revokedAgents();
        return Json.write(fleet.list().stream().map(a -> {
            Map<String, Object> m = AgentJson.summary(a, fleet);
            m.put("enrollment", revoked.contains(a.id()) ? "revoked" : "enrolled");
            return m;
        }).toList());
    }

    @Override
    public Optional<String> agentJson(String id) {
        return fleet.get(id).map(a -> {
            Map<String, Object> m = AgentJson.detail(a, fleet);
            m.put("enrollment", enrollment.revoked(id).map(r -> r ? "revoked" : "enrolled").orElse("unknown"));
            m.put("spoolDropped", fleet.spoolDropped(id));
            return Json.write(m);
        });
    }
}

package io.firstline.console.web;

import io.firstline.console.fleet.FleetState;
import io.firstline.console.metrics.ConsoleMetrics;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Serves the HTTP routes from the live fleet state and the metrics registry. */
public final class ConsoleRoutes implements ApiHandler.Routes {
    private final FleetState fleet;
    private final ConsoleMetrics metrics;
    private final BooleanSupplier ready;

    public ConsoleRoutes(FleetState fleet, ConsoleMetrics metrics, BooleanSupplier ready) {
        this.fleet = fleet;
        this.metrics = metrics;
        this.ready = ready;
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
        return Json.write(fleet.list().stream().map(a -> AgentJson.summary(a, fleet)).toList());
    }

    @Override
    public Optional<String> agentJson(String id) {
        return fleet.get(id).map(a -> Json.write(AgentJson.detail(a, fleet)));
    }
}

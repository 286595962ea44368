package io.firstline.console.web;

import io.firstline.console.fleet.FleetState;
import io.firstline.console.metrics.ConsoleMetrics;
import io.firstline.console.rules.RulesService;
import io.firstline.console.tickets.MaintenanceWindows;
import io.firstline.console.tickets.TicketService;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Serves the HTTP routes from the live fleet state and the metrics registry. */
public final class ConsoleRoutes implements ApiHandler.Routes {
    private final FleetState fleet;
    private final ConsoleMetrics metrics;
    private final BooleanSupplier ready;

    private final List<ApiModule> modules;

    public ConsoleRoutes(FleetState fleet, ConsoleMetrics metrics, BooleanSupplier ready) {
        this(fleet, metrics, ready, List.of());
    }

    private ConsoleRoutes(FleetState fleet, ConsoleMetrics metrics, BooleanSupplier ready, List<ApiModule> modules) {
        this.fleet = fleet;
        this.metrics = metrics;
        this.ready = ready;
        this.modules = List.copyOf(modules);
    }

    /** These routes plus the ticket, maintenance-window and rules API. */
    public ConsoleRoutes withTickets(TicketService tickets, MaintenanceWindows windows, RulesService rules, Clock clock) {
        List<ApiModule> all = new java.util.ArrayList<>(modules);
        all.add(new TicketApi(tickets, windows, clock));
        all.add(new RulesApi(rules));
        return new ConsoleRoutes(fleet, metrics, ready, all);
    }

    @Override
    public List<ApiModule> modules() {
        return modules;
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

package io.firstline.console.web;

import io.firstline.console.auth.Accounts;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.enroll.InstallCodes;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.intake.IntakeTokens;
import io.firstline.console.kb.KnowledgeBase;
import io.firstline.console.metrics.ConsoleMetrics;
import io.firstline.console.rules.RulesService;
import io.firstline.console.tickets.MaintenanceWindows;
import io.firstline.console.tickets.TicketService;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Serves the HTTP routes from the live fleet state and the metrics registry. */
public final class ConsoleRoutes implements ApiHandler.Routes {
    private final FleetState fleet;
    private final ConsoleMetrics metrics;
    private final BooleanSupplier ready;
    private final Enrollment enrollment;

    private final List<ApiModule> modules;

    /**
     * @param agentLink where the agent link listens, with its real port (the
     *                  admin page builds the agent install command from it)
     */
    public ConsoleRoutes(FleetState fleet, ConsoleMetrics metrics, BooleanSupplier ready, Enrollment enrollment,
                         Consumer<String> disconnect, ConsoleConfig.Listen agentLink) {
        this(fleet, metrics, ready, enrollment, Clock.systemUTC(), new InstallCodes(Clock.systemUTC()), disconnect, agentLink);
    }

    private ConsoleRoutes(FleetState fleet, ConsoleMetrics metrics, BooleanSupplier ready, Enrollment enrollment, Clock clock,
                          InstallCodes installCodes, Consumer<String> disconnect, ConsoleConfig.Listen agentLink) {
        this(fleet, metrics, ready, enrollment, List.of(new OpenApi(), new AgentApi(fleet, enrollment),
                new EnrollmentApi(enrollment, disconnect, clock, installCodes,
                everyInterface(agentLink.bind()) ? null : agentLink.bind(), agentLink.port()),
                new InstallApi(AgentArchive.locate(), installCodes)));
    }

    private static boolean everyInterface(String bind) {
        return bind.isBlank() || bind.equals("*") || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
    }

    private ConsoleRoutes(FleetState fleet, ConsoleMetrics metrics, BooleanSupplier ready, Enrollment enrollment,
                          List<ApiModule> modules) {
        this.fleet = fleet;
        this.metrics = metrics;
        this.ready = ready;
        this.enrollment = enrollment;
        this.modules = List.copyOf(modules);
    }

    /**
     * These routes plus the ticket, maintenance-window, rules and knowledge-base API.
     * {@code accounts} tells which users exist (an assignee must).
     *
     * @param osOfAgent an agent's OS family, for article suggestions (empty when unknown)
     */
    public ConsoleRoutes withTickets(TicketService tickets, MaintenanceWindows windows, RulesService rules, Clock clock,
                                     Accounts accounts, KnowledgeBase kb, java.util.function.Function<String, String> osOfAgent) {
        List<ApiModule> all = new java.util.ArrayList<>(modules);
        Predicate<String> agentKnown = id -> id.length() <= Fields.NAME
                && (fleet.get(id).isPresent() || enrollment.revoked(id).isPresent());
        Predicate<String> userExists = name -> name.length() <= Fields.NAME && accounts.users().find(name).isPresent();
        java.util.function.Function<String, String> hostStatus =
                agent -> fleet.summary(agent).map(a -> a.online() ? "online" : "offline").orElse("unknown");
        KbApi kbApi = new KbApi(kb, tickets, osOfAgent);
        all.add(new TicketApi(tickets, windows, clock, agentKnown, userExists, hostStatus, kbApi));
        all.add(new NewTicketApi(tickets, agentKnown, hostStatus));
        all.add(kbApi);
        all.add(new RulesApi(rules));
        return new ConsoleRoutes(fleet, metrics, ready, enrollment, all);
    }

    /** These routes plus {@code GET /api/config-files}: the state of the reloadable configuration files. */
    public ConsoleRoutes withConfigFiles(java.util.function.Supplier<List<io.firstline.console.config.WatchedFile.Status>> files) {
        List<ApiModule> all = new java.util.ArrayList<>(modules);
        all.add(new ConfigFilesApi(files));
        return new ConsoleRoutes(fleet, metrics, ready, enrollment, all);
    }

    /** These routes plus the alert intake ({@code /api/intake/...}) and its tokens. */
    public ConsoleRoutes withIntake(IntakeTokens intakeTokens, TicketService tickets) {
        List<ApiModule> all = new java.util.ArrayList<>(modules);
        all.add(new IntakeApi(intakeTokens, tickets, fleet::summaries));
        return new ConsoleRoutes(fleet, metrics, ready, enrollment, all);
    }

    /** These routes plus the reports ({@code /api/reports/...}). */
    public ConsoleRoutes withReports(io.firstline.console.reports.Reports reports, io.firstline.console.reports.WeeklyDigest digest) {
        List<ApiModule> all = new java.util.ArrayList<>(modules);
        all.add(new ReportsApi(reports, digest));
        return new ConsoleRoutes(fleet, metrics, ready, enrollment, all);
    }

    /** These routes plus safe diagnostics ({@code /api/agents/{id}/diagnostics}, {@code /api/diagnostics/...}). */
    public ConsoleRoutes withDiagnostics(io.firstline.console.diagnostics.DiagnosticService diagnostics) {
        List<ApiModule> all = new java.util.ArrayList<>(modules);
        all.add(new DiagnosticsApi(diagnostics));
        return new ConsoleRoutes(fleet, metrics, ready, enrollment, all);
    }

    @Override
    public List<ApiModule> modules() {
        return modules;
    }

    @Override
    public boolean ready() {
        return ready.getAsBoolean() && metrics.storeAvailable();
    }

    @Override
    public String notReadyReason() {
        return metrics.storeAvailable() ? "starting" : "store unavailable";
    }

    @Override
    public String metrics() {
        return metrics.scrape();
    }
}

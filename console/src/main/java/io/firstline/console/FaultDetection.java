package io.firstline.console;

import io.firstline.cli.CliSupport.UserError;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.config.WatchedFile;
import io.firstline.console.notify.NotificationOutbox;
import io.firstline.console.notify.NotificationSender;
import io.firstline.console.notify.Notifications;
import io.firstline.console.notify.NotifyConfig;
import io.firstline.console.notify.NotifyTarget;
import io.firstline.console.rules.ConsoleRuleRunner;
import io.firstline.console.rules.RulesService;
import io.firstline.console.store.Store;
import io.firstline.console.tickets.AgentDirectory;
import io.firstline.console.tickets.FaultIntake;
import io.firstline.console.tickets.MaintenanceWindows;
import io.firstline.console.tickets.TicketMetrics;
import io.firstline.console.tickets.TicketPolicy;
import io.firstline.console.tickets.TicketPolicyLoader;
import io.firstline.console.tickets.TicketService;
import io.firstline.console.tickets.TicketSweeper;
import io.firstline.console.tickets.VoiceIntake;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The console's fault detection and ticketing, assembled: rules,
 * {@code tickets.yaml} and {@code notifications.yaml} (each reloaded every
 * 2 s when changed), the console-side rules (every second), tickets and
 * their sweeper (every 5 s) on a timer thread, the ticketing thread behind
 * {@link #intake()}, and notification delivery on two threads of its own:
 * one for webhooks, one for e-mail.
 */
final class FaultDetection implements AutoCloseable {
    final RulesService rules;
    final TicketService tickets;
    final MaintenanceWindows windows;
    /** tickets.yaml and notifications.yaml, as their reload left them. */
    final List<WatchedFile<?>> configFiles;
    private final FaultIntake intake;
    final VoiceIntake voice;
    private final ScheduledExecutorService timers;
    private final ScheduledExecutorService notifier;

    private FaultDetection(RulesService rules, TicketService tickets, MaintenanceWindows windows, List<WatchedFile<?>> configFiles,
                           FaultIntake intake, ScheduledExecutorService timers, ScheduledExecutorService notifier) {
        this.rules = rules;
        this.configFiles = List.copyOf(configFiles);
        this.tickets = tickets;
        this.windows = windows;
        this.intake = intake;
        this.voice = new VoiceIntake(tickets);
        this.timers = timers;
        this.notifier = notifier;
    }

    /** What notifications.yaml says now (the last good file). */
    Notifications notifications() {
        for (WatchedFile<?> f : configFiles) {
            if (f.current() instanceof Notifications n) {
                return n;
            }
        }
        return Notifications.NONE;
    }

    /** @throws UserError when DATA/notifications.yaml or DATA/tickets.yaml is wrong */
    /** @param leader whether this node runs the console-side rules now (the lease, with several nodes) */
    static FaultDetection start(ConsoleConfig config, Store store, FleetState fleet, Function<String, Optional<String>> siteOf,
                                MeterRegistry registry, Clock clock, java.util.function.BooleanSupplier leader) {
        WatchedFile<Notifications> notifications;
        WatchedFile<TicketPolicy> policy;
        try {
            notifications = WatchedFile.open(config.dataDir().resolve(NotifyConfig.FILE_NAME),
                    (name, text) -> NotifyConfig.parse(name, text, config.dataDir()), Notifications.NONE, clock, registry);
            policy = WatchedFile.open(config.dataDir().resolve(TicketPolicyLoader.FILE_NAME), TicketPolicyLoader::parse,
                    TicketPolicy.defaults(), clock, registry);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        RulesService rules = RulesService.open(config.dataDir(), clock, registry);
        // The site is the one the agent's enrollment token was made for; agents have no tags yet.
        AgentDirectory directory = id -> fleet.get(id)
                .map(a -> new AgentDirectory.AgentFacts(a.host().getHostname(), siteOf.apply(id).orElse(""),
                        a.host().getOsFamily(), Set.of(), a.host().getOsVersion(), a.hardwareModel(), a.agentVersion()))
                .orElse(AgentDirectory.AgentFacts.UNKNOWN);
        TicketService tickets = new TicketService(store, clock, policy.current(), directory, id -> rules.current().rule(id),
                new NotificationOutbox(notifications::current), new TicketMetrics(registry));
        policy.onChange(tickets::usePolicy);
        FaultIntake intake = new FaultIntake(tickets, rules, directory, registry);
        ConsoleRuleRunner consoleRules = new ConsoleRuleRunner(fleet, rules, clock, config.sampleInterval(),
                id -> tickets.activeFaults(id).stream().map(k -> new String[] {k.ruleId(), k.resource()}).toList(),
                intake::consoleTransition, leader);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("firstline-timers", true));
        timers.scheduleWithFixedDelay(rules::reload, 2, 2, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(() -> {
            policy.reload();
            notifications.reload();
        }, 2, 2, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(consoleRules, 1, 1, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(new TicketSweeper(tickets), 1, 5, TimeUnit.SECONDS);
        // Notifications get their own threads, one per channel: a receiver or mail server that is down delays only
        // its own channel, never ingest, ticketing or the other channel.
        ScheduledExecutorService notifier = Executors.newScheduledThreadPool(2, new DefaultThreadFactory("firstline-notify", true));
        for (NotifyTarget.Channel channel : NotifyTarget.Channel.values()) {
            notifier.scheduleWithFixedDelay(new NotificationSender(store, clock, notifications::current, channel,
                    Duration.ofSeconds(10), registry), 1, 1, TimeUnit.SECONDS);
        }
        return new FaultDetection(rules, tickets, new MaintenanceWindows(store, clock), List.of(policy, notifications), intake,
                timers, notifier);
    }

    /** What agent sessions hand fault events and rule pushes to. */
    FaultIntake intake() {
        return intake;
    }

    /** Stops the timers, lets queued fault events commit, stops delivery. Call before closing the store. */
    @Override
    public void close() {
        timers.shutdownNow();
        notifier.shutdownNow();
        intake.close();
        voice.close();
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS);
            notifier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

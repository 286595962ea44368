package io.firstline.console;

import io.firstline.cli.CliSupport.UserError;
import io.firstline.console.auth.Accounts;
import io.firstline.console.cluster.ClusterMembership;
import io.firstline.console.cluster.Lease;
import io.firstline.console.cluster.PresenceStore;
import io.firstline.console.cluster.PresenceSync;
import io.firstline.console.ingest.Handover;
import io.firstline.console.auth.Passwords;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.fleet.FleetPersistence;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.fleet.FleetStore;
import io.firstline.console.intake.IntakeTokens;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.console.pki.ServerTls;
import io.firstline.console.pki.SessionTicketKeys;
import io.firstline.console.notify.WebhookTarget;
import io.firstline.console.reports.Reports;
import io.firstline.console.reports.WeeklyDigest;
import io.firstline.console.ingest.AgentServer;
import io.firstline.console.ingest.IngestMetrics;
import io.firstline.console.ingest.IngestPorts;
import io.firstline.console.kb.KnowledgeBase;
import io.firstline.console.metrics.ConsoleMetrics;
import io.firstline.console.net.CoalescingIoHandler;
import io.firstline.console.rules.RulesService;
import io.firstline.console.store.DataDirLock;
import io.firstline.console.store.MeteredStore;
import io.firstline.console.store.SqliteStore;
import io.firstline.console.store.Store;
import io.firstline.console.store.StoreException;
import io.firstline.console.store.StoreSettings;
import io.firstline.console.store.Stores;
import io.firstline.console.tickets.MaintenanceWindows;
import io.firstline.console.tickets.TicketService;
import io.firstline.console.web.ConsoleRoutes;
import io.firstline.console.web.HttpServer;
import io.firstline.console.web.TicketCounts;
import io.firstline.console.web.WebConsole;
import io.firstline.files.PrivateFiles;
import io.firstline.wire.Durations;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running console: the agent link server, the fleet state it feeds, and the
 * HTTP server that shows it. {@link #start} returns once both ports listen.
 */
public final class Console implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Console.class);
    /** How long a stopping console waits for the agents' pending commits (well inside systemd's 30 s stop timeout). */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final ConsoleConfig config;
    private final Clock clock;
    private final ConsoleMetrics metrics = new ConsoleMetrics();
    private final FleetState fleet;
    private final EventLoopGroup boss;
    private final EventLoopGroup agentWorkers;
    private final EventLoopGroup httpWorkers;
    private DataDirLock dataLock;
    private Store store;
    private Accounts accounts;
    private Optional<String> initialAdminPassword = Optional.empty();
    private WebConsole web;
    private FaultDetection faults;
    private WeeklyDigest digest;
    private KnowledgeBase kb;
    private io.firstline.console.diagnostics.DiagnosticService diagnostics;
    private ConsoleCa ca;
    private Enrollment enrollment;
    private FleetPersistence fleetPersistence;
    /** With several nodes on one store: the shared presence and the console-rules lease; null on one node. */
    private PresenceSync presence;
    private Lease rulesLease;
    private AgentServer agentServer;
    private ServerTls agentTls;
    private HttpServer httpServer;
    private volatile boolean ready;
    /** How long {@link #open} took: a restart's agents are told to come back after about as long. */
    private Duration startedIn = Duration.ZERO;
    private final java.util.concurrent.ScheduledExecutorService housekeeping = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(new DefaultThreadFactory("firstline-housekeeping", true));

    private Console(ConsoleConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.fleet = new FleetState(clock, config.offlineAfter(), historyStep(config));
        this.boss = group(1, "firstline-accept", NioIoHandler.newFactory());
        this.agentWorkers = group(Math.max(1, Runtime.getRuntime().availableProcessors()), "firstline-ingest",
                CoalescingIoHandler.factory(NioIoHandler.newFactory(), config.io().agentCoalescing()));
        this.httpWorkers = group(1, "firstline-http", NioIoHandler.newFactory());
    }

    /** Charted history keeps one slot per sample, but never finer than 5 s (720 slots for the hour). */
    private static Duration historyStep(ConsoleConfig config) {
        Duration min = Duration.ofSeconds(5);
        return config.sampleInterval().compareTo(min) > 0 ? config.sampleInterval() : min;
    }

    private static EventLoopGroup group(int threads, String name, IoHandlerFactory handlers) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), handlers);
    }

    /**
     * Starts a console.
     *
     * @throws UserError when a port is taken or the data directory is unusable
     */
    public static Console start(ConsoleConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts a console whose tickets, SLAs, reports and sessions run on
     * {@code clock} (tests move a clock by hand to age tickets by days).
     */
    public static Console start(ConsoleConfig config, Clock clock) {
        Console c = new Console(config, clock);
        long begin = System.nanoTime();
        try {
            c.open();
            c.startedIn = Duration.ofNanos(System.nanoTime() - begin);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void open() {
        // A busy port fails the start before anything is written: no store, CA or admin password for a console that never ran.
        checkFree("agent link", config.agentListen(), "--agent-port");
        checkFree("HTTP", config.httpListen(), "--http-port");
        dataLock = lockDataDir(config.dataDir());
        String consoleId = consoleId(config.dataDir());
        store = new MeteredStore(openStore(config), metrics.registry());
        ca = openCa(config.dataDir(), consoleId);
        metrics.bindCertificates(ca);
        joinStore(consoleId);
        enrollment = new Enrollment(store, ca, clock);
        fleetPersistence = FleetPersistence.start(fleet, new FleetStore(store), clock);
        // Every agent enrolled here is part of the fleet from its enrollment on, whether it ever connected or not.
        enrollment.enrolledAgents().stream().filter(a -> !a.revoked())
                .forEach(a -> fleet.enrolled(a.agentId(), a.site(), a.enrolledAt()));
        java.util.function.BooleanSupplier leader = () -> true;
        if (shared(store)) {
            // Several nodes: each shows every node's agents, and one at a time runs the console-side rules.
            presence = PresenceSync.start(new PresenceStore(store), fleet, consoleId, clock,
                    id -> agentServer.connections().disconnect(id));
            rulesLease = new Lease(store, "console-rules", consoleId, clock);
            leader = rulesLease::held;
        }
        faults = FaultDetection.start(config, store, fleet, enrollment::site, metrics.registry(), clock, leader);
        kb = new KnowledgeBase(store, clock, () -> faults.tickets.policy().reopenWindow());
        kb.loadDefaults();
        accounts = new Accounts(store, clock, new Passwords(Passwords.DEFAULT_ITERATIONS));
        initialAdminPassword = accounts.bootstrapAdmin(config.dataDir());
        diagnostics = new io.firstline.console.diagnostics.DiagnosticService(store, clock, faults.tickets, accounts.audit(),
                id -> fleet.get(id).isPresent());
        io.firstline.console.diagnostics.Triage triage = new io.firstline.console.diagnostics.Triage(diagnostics, faults.tickets,
                rule -> faults.rules.current().diagnose(rule));
        faults.tickets.onOpened(t -> diagnostics.later(() -> triage.opened(t)));
        web = new WebConsole(accounts, fleet, new TicketCounts(faults.tickets), httpWorkers.next());
        Reports reports = new Reports(store, clock);
        digest = new WeeklyDigest(store, reports, this::digestTargets).schedule(10);
        metrics.bindFleet(fleet);
        metrics.bindStore(store);
        metrics.bindEventLoops(boss, agentWorkers, httpWorkers);
        IngestMetrics ingestMetrics = new IngestMetrics(metrics.registry());
        agentTls = openAgentTls();
        SslContext tls = agentTls.context();
        agentServer = bindOrExplain("agent link", config.agentListen(), "--agent-port",
                () -> AgentServer.bind(config, fleet, ingestMetrics, consoleId, tls, enrollment, boss, agentWorkers,
                        new IngestPorts(faults.intake(), faults.voice, diagnostics, presence == null ? Handover.NONE : presence)));
        httpServer = bindOrExplain("HTTP", config.httpListen(), "--http-port",
                () -> HttpServer.bind(config.httpListen().bind(), config.httpListen().port(),
                        new ConsoleRoutes(fleet, metrics, () -> ready, enrollment, id -> agentServer.connections().disconnect(id),
                                new ConsoleConfig.Listen(config.agentListen().bind(), agentServer.port()))
                                .withTickets(faults.tickets, faults.windows, faults.rules, clock, accounts, kb,
                                        id -> fleet.get(id).map(a -> a.host().getOsFamily()).orElse(""))
                                .withDiagnostics(diagnostics)
                                .withIntake(new IntakeTokens(store, clock), faults.tickets)
                                .withReports(reports, digest)
                                .withConfigFiles(this::configFiles),
                        web, boss, httpWorkers));
        // Revocations made elsewhere (the CLI, another node) end live connections within a sweep.
        boss.next().scheduleAtFixedRate(this::sweepRevoked, 15, 15, TimeUnit.SECONDS);
        // Off the event loops: a write to a lost store waits for the pool's timeout.
        housekeeping.scheduleWithFixedDelay(() -> heartbeat(consoleId), 5, 5, TimeUnit.SECONDS);
        PrivateFiles.warnIfLoosened(config.dataDir(), "the console's data directory", log);
        ready = true;
        log.info("console {} ready: agents on {}:{}, HTTP on {}:{}, data in {}", consoleId, config.agentListen().bind(),
                agentServer.port(), config.httpListen().bind(), httpServer.port(), config.dataDir());
        log.info("agent port: socket readiness coalesced for {} (agent.ioCoalescing)", Durations.format(config.io().agentCoalescing()));
    }

    /**
     * The notification targets the weekly digest goes to, as notifications.yaml says now: the generic webhooks
     * (a PagerDuty target takes incidents, not reports).
     */
    private java.util.List<String> digestTargets() {
        return faults.notifications().webhooks().stream().filter(t -> t.format() == WebhookTarget.Format.GENERIC)
                .map(WebhookTarget::name).toList();
    }

    /** Whether other console nodes may share this store (a server database, not the embedded one). */
    private static boolean shared(Store store) {
        return "postgresql".equals(store.dialect());
    }

    private void sweepRevoked() {
        try {
            int n = agentServer.connections().disconnectAll(enrollment.revokedAgents());
            if (n > 0) {
                log.info("closed {} connections of revoked agents", n);
            }
        } catch (RuntimeException e) {
            log.warn("revocation sweep failed: {}", e.toString());
        }
    }

    /** One console per data directory; and none while migrate-store copies its store. */
    private static DataDirLock lockDataDir(Path dir) {
        try {
            return DataDirLock.tryTake(dir, "console").orElseThrow(() -> new UserError("the data directory " + dir
                    + " is in use by " + DataDirLock.holder(dir) + " (one console per data directory): stop that first"));
        } catch (IOException e) {
            throw new UserError("cannot use data directory " + dir + ": " + e.getMessage());
        }
    }

    /** Joins the nodes sharing the store: refused when their CA is not this node's (agents pin it). */
    private void joinStore(String consoleId) {
        try {
            ClusterMembership.join(store, consoleId, ca.fingerprint(), io.firstline.cli.BuildVersion.get(),
                    config.agentListen().toString(), config.httpListen().toString(), clock);
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage());
        }
    }

    private void heartbeat(String consoleId) {
        try {
            ClusterMembership.heartbeat(store, consoleId, clock);
        } catch (RuntimeException e) {
            log.debug("node heartbeat failed: {}", e.toString());
        }
    }

    /** The agent port's TLS as agent.tlsProvider asks, its session tickets resumable across restarts where BoringSSL serves. */
    private ServerTls openAgentTls() {
        SessionTicketKeys ticketKeys;
        try {
            ticketKeys = SessionTicketKeys.loadOrCreate(config.dataDir().resolve("pki"), clock);
        } catch (IOException e) {
            throw new UserError("cannot write the TLS session-ticket secret in " + config.dataDir().resolve("pki") + ": " + e.getMessage());
        }
        ServerTls tls;
        try {
            tls = ServerTls.open(ca, enrollment, config.tlsProvider(), ticketKeys);
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage());
        }
        log.info("agent port TLS: {} (agent.tlsProvider: {})", tls.describe(), config.tlsProvider().configName());
        metrics.bindTlsProvider(tls.providerName());
        // A new day's ticket key within ten minutes of UTC midnight; the previous days' keys still open older tickets.
        housekeeping.scheduleWithFixedDelay(tls::refreshTicketKeys, 10, 10, TimeUnit.MINUTES);
        return tls;
    }

    private ConsoleCa openCa(Path dataDir, String consoleId) {
        try {
            return ConsoleCa.loadOrCreate(dataDir, consoleId, clock);
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Opens the configured store, or fails with a message that names the setting to check. */
    public static Store openStore(ConsoleConfig config) {
        try {
            Store s = Stores.open(config.store(), config.dataDir());
            log.info("store {} at schema version {}", s.describe(), s.schemaVersion());
            return s;
        } catch (StoreException | UncheckedIOException e) {
            throw new UserError(config.store().embedded() ? "cannot open the store in " + config.dataDir() + ": " + e.getMessage()
                    : e.getMessage());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * Whether {@code dir} holds a console's data: its id and, on the embedded
     * store, its database, made together by its first start.
     */
    public static boolean holdsConsole(Path dir, StoreSettings store) {
        return Files.isRegularFile(dir.resolve("console-id"))
                && (!store.embedded() || Files.isRegularFile(dir.resolve(SqliteStore.FILE_NAME)));
    }

    /** Fails with the same message a failed bind gives if {@code listen} cannot be bound now (port 0 always can). */
    private static void checkFree(String what, ConsoleConfig.Listen listen, String option) {
        if (listen.port() == 0) {
            return;
        }
        bindOrExplain(what, listen, option, () -> {
            try (ServerSocketChannel probe = ServerSocketChannel.open()) {
                probe.bind(new InetSocketAddress(listen.bind(), listen.port())); // as the servers bind it
            }
            return null;
        });
    }

    private interface Binder<T> {
        T bind() throws Exception;
    }

    private static <T> T bindOrExplain(String what, ConsoleConfig.Listen listen, String option, Binder<T> binder) {
        try {
            return binder.bind();
        } catch (BindException e) {
            throw new UserError("cannot listen for " + what + " on " + listen + ": " + e.getMessage()
                    + " (is another console running? choose another port with " + option + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while starting");
        } catch (Exception e) {
            if (e instanceof java.net.SocketException || e instanceof java.nio.channels.UnresolvedAddressException) {
                throw new UserError("cannot listen for " + what + " on " + listen + ": " + e);
            }
            throw new IllegalStateException(e);
        }
    }

    /** The console's node id, made on first start and kept in the data directory. */
    public static String consoleId(Path dataDir) {
        try {
            Path file = dataDir.resolve("console-id");
            PrivateFiles.createNew(file, UUID.randomUUID() + "\n");
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UserError("cannot use data directory " + dataDir + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UserError("cannot use data directory " + dataDir + ": " + e.getCause().getMessage());
        }
    }

    public int agentPort() {
        return agentServer.port();
    }

    public int httpPort() {
        return httpServer.port();
    }

    /** Every HTTP route the console answers, as "METHOD /pattern", straight from its route table. */
    public java.util.List<String> httpRoutes() {
        return httpServer.routes();
    }

    public FleetState fleet() {
        return fleet;
    }

    public TicketService tickets() {
        return faults.tickets;
    }

    /** Safe diagnostics: requests, results, triage. */
    public io.firstline.console.diagnostics.DiagnosticService diagnostics() {
        return diagnostics;
    }

    /** Articles, search and their use on tickets. */
    public KnowledgeBase knowledgeBase() {
        return kb;
    }

    public RulesService rules() {
        return faults.rules;
    }

    public MaintenanceWindows maintenanceWindows() {
        return faults.windows;
    }

    /** The state of tickets.yaml and notifications.yaml, as their last reload left it. */
    public java.util.List<io.firstline.console.config.WatchedFile.Status> configFiles() {
        return faults.configFiles.stream().<io.firstline.console.config.WatchedFile.Status>map(f -> f.status()).toList();
    }

    /** Tokens, agent certificates and revocation. */
    public Enrollment enrollment() {
        return enrollment;
    }

    /** The durable store, open from start to close. */
    public Store store() {
        return store;
    }

    /** The one-time password of the admin this start created (first start only). */
    public Optional<String> initialAdminPassword() {
        return initialAdminPassword;
    }

    /** Users, sessions, API tokens and the audit log. */
    public Accounts accounts() {
        return accounts;
    }

    /** The weekly digest of the reports (tests send it by hand). */
    public WeeklyDigest digest() {
        return digest;
    }

    public ConsoleMetrics metrics() {
        return metrics;
    }

    public ConsoleConfig config() {
        return config;
    }

    /** How long this console took to start: agents it tells it is stopping come back no sooner than 1 s more. */
    public Duration startedIn() {
        return startedIn;
    }

    @Override
    public void close() {
        ready = false;
        if (agentServer != null) {
            // First, while the store and the ticket service still run: the agents' pending commits finish and are acknowledged.
            agentServer.drain(DRAIN_TIMEOUT, startedIn);
        }
        if (httpServer != null) {
            httpServer.close();
        }
        if (web != null) {
            web.close();
        }
        if (agentServer != null) {
            agentServer.close();
        }
        if (agentTls != null) {
            agentTls.close();
        }
        if (diagnostics != null) {
            diagnostics.close();
        }
        if (digest != null) {
            digest.close();
        }
        if (presence != null) {
            presence.close();
        }
        if (faults != null) {
            faults.close();
        }
        if (rulesLease != null) {
            rulesLease.release();
        }
        if (fleetPersistence != null) {
            fleetPersistence.close();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        agentWorkers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        httpWorkers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        boss.terminationFuture().syncUninterruptibly();
        agentWorkers.terminationFuture().syncUninterruptibly();
        httpWorkers.terminationFuture().syncUninterruptibly();
        housekeeping.shutdownNow();
        if (store != null) {
            store.close();
        }
        if (dataLock != null) {
            dataLock.close();
        }
        metrics.close();
    }
}

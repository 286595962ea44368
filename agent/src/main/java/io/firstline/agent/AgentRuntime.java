package io.firstline.agent;

import com.google.protobuf.CodedOutputStream;
import io.firstline.agent.collect.CollectEnvironment;
import io.firstline.agent.collect.CollectorRunner;
import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.collect.InventoryReader;
import io.firstline.agent.collect.Registration;
import io.firstline.agent.config.AgentConfig;
import io.firstline.agent.encode.HostFactsReader;
import io.firstline.agent.encode.InventoryEncoder;
import io.firstline.agent.encode.SampleEncoder;
import io.firstline.agent.encode.SeriesDictionary;
import io.firstline.agent.link.AgentLink;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.enroll.CredentialSource;
import io.firstline.agent.enroll.NotEnrolledException;
import io.firstline.agent.enroll.Renewal;
import io.firstline.agent.events.EventSources;
import io.firstline.agent.events.KernelEvent;
import io.firstline.agent.link.LinkSecurity;
import io.firstline.agent.rules.AgentRules;
import io.firstline.agent.spool.DiskSpool;
import io.firstline.files.PrivateFiles;
import io.firstline.agent.voice.LocalServer;
import io.firstline.agent.voice.LocalSocket;
import io.firstline.agent.voice.RecentEvents;
import io.firstline.agent.encode.SnapshotTables;
import io.firstline.agent.voice.StatusCache;
import io.firstline.agent.voice.UserVoice;
import io.firstline.proto.Envelope;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Hello;
import io.firstline.proto.Inventory;
import io.firstline.proto.RuleSet;
import io.firstline.proto.Sample;
import io.firstline.proto.SnapshotTable;
import io.firstline.proto.TicketStatus;
import io.firstline.proto.Welcome;
import io.firstline.wire.WireProtocol;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: collects every interval on its own thread and hands each
 * sample to the {@link AgentLink}. Collection goes on while the console is
 * away; the disk spool keeps what was not acknowledged, across restarts.
 * Needs an enrolled state directory ({@link NotEnrolledException} otherwise).
 */
public final class AgentRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);
    /** Per-sample size and collector timings at debug level, for the footprint benchmark. */
    private static final Logger sampleLog = LoggerFactory.getLogger("io.firstline.agent.samples");
    private static final long UNMEASURED = Long.MIN_VALUE;

    /** Everything needed to start an agent. */
    public record Settings(List<ConsoleAddress> consoles, Path stateDir, Duration interval,
                           List<Registration> collectors, long spoolCapBytes, int maxFrameBytes) {
        public Settings {
            consoles = List.copyOf(consoles);
            Objects.requireNonNull(stateDir, "stateDir");
            collectors = List.copyOf(collectors);
            if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("interval must be between 100ms and 1h, got " + interval);
            }
        }

        public Settings(List<ConsoleAddress> consoles, Path stateDir, Duration interval, List<Registration> collectors) {
            this(consoles, stateDir, interval, collectors, DiskSpool.Settings.DEFAULT_CAP, WireProtocol.DEFAULT_MAX_FRAME_BYTES);
        }
    }

    private final String agentId;
    private final long bootEpoch;
    private final DiskSpool spool;
    private final CredentialSource credentials;
    private final Renewal renewal;
    private final CollectorRunner runner;
    private final SampleEncoder encoder;
    private final AgentLink link;
    private final HostFacts facts;
    private final ScheduledExecutorService collectThread;
    private final AtomicLong offsetMs = new AtomicLong(UNMEASURED);
    private final AgentRules rules;
    private final EventSources events;
    private final BootRecord bootRecord;
    private final InventoryReader inventory;
    private final Duration inventoryInterval;
    private final List<Registration> registrations;
    private final HostProbe probe;
    private final Clock clock;
    private final RecentEvents recentEvents;
    private final UserVoice voice;
    private final io.firstline.agent.diagnose.Diagnostics diagnostics;
    private CollectorRunner reportRunner;
    private LocalServer local;
    private String inventoryDigest = "";
    private ScheduledFuture<?> schedule;
    private Duration interval;

    private AgentRuntime(Settings s, AgentConfig config, Clock clock) {
        AgentCredentials enrolled = AgentCredentials.load(s.stateDir()).orElseThrow(() -> new NotEnrolledException(s.stateDir()));
        this.agentId = enrolled.agentId();
        this.credentials = new CredentialSource(s.stateDir(), enrolled);
        this.renewal = new Renewal(s.consoles(), s.stateDir(), credentials, clock);
        this.spool = DiskSpool.open(s.stateDir().resolve("spool"), DiskSpool.Settings.withCap(s.spoolCapBytes()), clock, clock.millis());
        this.bootEpoch = spool.bootEpoch();
        this.bootRecord = new BootRecord(s.stateDir());
        EventRelay relay = new EventRelay();
        EventSources eventSources = EventSources.start(config.kernelPatterns(), relay, s.stateDir(), Duration.ofMillis(250));
        HostProbe probe = new HostProbe(new CollectEnvironment(config.dnsNames(),
                s.consoles().stream().map(c -> new CollectEnvironment.Endpoint(c.host(), c.port())).toList(), linkClock(),
                bootRecord, eventSources));
        this.runner = new CollectorRunner(s.collectors(), probe, clock);
        this.registrations = s.collectors();
        this.probe = probe;
        this.clock = clock;
        this.recentEvents = new RecentEvents(clock);
        this.inventory = new InventoryReader(probe, AgentVersion.get());
        this.inventoryInterval = config.inventoryInterval();
        SeriesDictionary dictionary = new SeriesDictionary();
        this.encoder = new SampleEncoder(dictionary, runner.names());
        this.facts = HostFactsReader.read(probe);
        this.interval = s.interval();
        this.collectThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "firstline-collect");
            t.setDaemon(true);
            return t;
        });
        AgentLink.Settings linkSettings = new AgentLink.Settings(s.consoles(), bootEpoch, s.maxFrameBytes(), s.interval(),
                AgentLink.Settings.DEFAULT_BACKFILL_PER_SECOND, new LinkSecurity(credentials));
        this.link = new AgentLink(linkSettings, spool, this::hello, dictionary::all,
                new AgentLink.Listener() {
                    @Override
                    public void welcomed(Welcome welcome) {
                        adoptInterval(Duration.ofMillis(welcome.getSampleIntervalMs()));
                        collectThread.execute(() -> sendInventory(true));
                    }

                    @Override
                    public void clockOffset(long millis) {
                        offsetMs.set(millis);
                    }

                    @Override
                    public void ruleSet(RuleSet set) {
                        rules.install(set);
                    }

                    @Override
                    public void ticketStatus(TicketStatus status) {
                        voice.statusFromConsole(status);
                    }

                    @Override
                    public void diagnosticRequest(io.firstline.proto.DiagnosticRequest request) {
                        diagnostics.request(request);
                    }

                    @Override
                    public void diagnosticCancel(long requestId) {
                        diagnostics.cancel(requestId);
                    }
                }, RandomGenerator.getDefault());
        this.rules = new AgentRules(clock, collectThread, m -> {
            recentEvents.record(m); // what a user's report shows of the last hour, kernel events' faults included
            link.send(m);
        }, s.collectors(), probe, this::clockOffsetMillis, this::currentInterval);
        this.diagnostics = new io.firstline.agent.diagnose.Diagnostics(config.diagnostics(), probe, link::send, clock);
        this.voice = new UserVoice(new VoiceAgent(), recentEvents, StatusCache.open(s.stateDir()), clock);
        this.events = eventSources;
        rules.fedByWatchers(eventSources.watchedMetrics());
        relay.rules = rules;
    }

    private synchronized Duration currentInterval() {
        return interval;
    }

    /** Event sources hand their events to the rules, which exist only once the runtime is built. */
    private static final class EventRelay implements EventSources.Sink {
        volatile AgentRules rules;

        @Override
        public void event(KernelEvent e) {
            AgentRules r = rules;
            if (r != null) {
                r.onEvent(e);
            }
        }

        @Override
        public void reading(String metric, String resource, double value) {
            AgentRules r = rules;
            if (r != null) {
                r.onReading(metric, resource, value);
            }
        }
    }

    /** Starts collecting and connecting. */
    public static AgentRuntime start(Settings settings) {
        return start(settings, AgentConfig.defaults());
    }

    /**
     * Starts collecting and connecting, with DNS names to check and the
     * inventory schedule from {@code config}, and the local socket for
     * {@code report} and {@code status} at {@code STATE_DIR/agent.sock}.
     */
    public static AgentRuntime start(Settings settings, AgentConfig config) {
        return start(settings, config, LocalServer.Settings.at(LocalSocket.forStateDir(settings.stateDir())));
    }

    /** As {@link #start(Settings, AgentConfig)}, with the local socket where and as {@code local} says. */
    public static AgentRuntime start(Settings settings, AgentConfig config, LocalServer.Settings local) {
        AgentRuntime r = new AgentRuntime(settings, config, Clock.systemUTC());
        r.listenLocally(local);
        r.link.start();
        r.renewal.start();
        synchronized (r) {
            r.reschedule(Duration.ofSeconds(1)); // one second in, so CPU and network rates have a base
        }
        long every = r.inventoryInterval.toMillis();
        r.collectThread.scheduleAtFixedRate(() -> r.sendInventory(false), every, every, TimeUnit.MILLISECONDS);
        log.info("agent {} started (version {}, collectors {}, console {})", r.agentId, AgentVersion.get(),
                r.runner.names(), settings.consoles());
        PrivateFiles.warnIfLoosened(settings.stateDir(), "the agent's state directory", log);
        return r;
    }

    public String agentId() {
        return agentId;
    }

    public boolean isConnected() {
        return link.isConnected();
    }

    /** Messages in the spool that the console has not acknowledged yet. */
    public int pending() {
        return link.pending();
    }

    public long bootEpoch() {
        return bootEpoch;
    }

    /** The console's clock minus ours, as last measured on the link (0 until measured). */
    public long clockOffsetMillis() {
        long v = offsetMs.get();
        return v == UNMEASURED ? 0 : v;
    }

    /** What the time collector reads: the offset once measured, and a way to ask for a new measurement. */
    private CollectEnvironment.LinkClock linkClock() {
        return new CollectEnvironment.LinkClock() {
            @Override
            public OptionalLong offsetMillis() {
                long v = offsetMs.get();
                return v == UNMEASURED ? OptionalLong.empty() : OptionalLong.of(v);
            }

            @Override
            public void remeasure() {
                link.measureClock();
            }

            @Override
            public boolean connected() {
                return link.isConnected();
            }

            @Override
            public OptionalDouble connectMillis() {
                long micros = link.lastConnectMicros();
                return micros < 0 ? OptionalDouble.empty() : OptionalDouble.of(micros / 1000.0);
            }
        };
    }

    /**
     * Reads the inventory and sends it if {@code always} (a new connection)
     * or if it changed since the last one sent. Runs on the collect thread.
     */
    private void sendInventory(boolean always) {
        try {
            Inventory inv = InventoryEncoder.encode(inventory.read());
            if (always || !inv.getDigest().equals(inventoryDigest)) {
                log.info("sending inventory {} ({} items, {} bytes){}", inv.getDigest(), inv.getItemsCount(), inv.getSerializedSize(),
                        always ? "" : ": it changed");
                inventoryDigest = inv.getDigest();
                link.send(Envelope.newBuilder().setInventory(inv));
            }
        } catch (RuntimeException e) {
            log.error("inventory failed", e);
        }
    }

    private Hello hello() {
        return Hello.newBuilder()
                .setAgentId(agentId)
                .setBootEpoch(bootEpoch)
                .setAgentVersion(AgentVersion.get())
                .setProtocolVersion(WireProtocol.VERSION)
                .setMinProtocolVersion(WireProtocol.MIN_VERSION)
                .setHost(facts)
                .addAllCollectors(runner.names())
                .setDiagnostics(diagnostics.capabilities())
                .build();
    }

    private synchronized void adoptInterval(Duration fromConsole) {
        if (!fromConsole.isZero() && !fromConsole.equals(interval)) {
            log.info("console sets the sample interval to {} ms", fromConsole.toMillis());
            interval = fromConsole;
            reschedule(fromConsole);
        }
    }

    private void reschedule(Duration firstDelay) {
        if (schedule != null) {
            schedule.cancel(false);
        }
        schedule = collectThread.scheduleAtFixedRate(this::cycle, firstDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cycle() {
        try {
            var snapshot = runner.collect();
            Sample sample = encoder.encode(snapshot);
            if (sampleLog.isDebugEnabled()) {
                StringBuilder runs = new StringBuilder();
                sample.getCollectorsList().forEach(c -> runs.append(' ').append(runner.names().get(c.getCollector()))
                        .append('=').append(c.getDurationMicros()));
                // Envelope overhead (tag, length, sequence) is added by the link; logged as the Sample's own size.
                // On the wire: 4-byte frame length + Envelope (body tag and length, and the sequence, at most 5 bytes below 2^28).
                int wire = 4 + CodedOutputStream.computeMessageSize(Envelope.SAMPLE_FIELD_NUMBER, sample) + 5;
                sampleLog.debug("sample bytes={} wire<={} new_series={} runs:{}", sample.getSerializedSize(), wire,
                        sample.getNewSeriesCount(), runs);
            }
            link.send(Envelope.newBuilder().setSample(sample));
            rules.onSnapshot(snapshot);
        } catch (RuntimeException e) {
            // Never let one bad cycle end the schedule.
            log.error("collection cycle failed", e);
        }
    }

    private void listenLocally(LocalServer.Settings settings) {
        try {
            local = LocalServer.start(settings, voice);
        } catch (RuntimeException e) {
            // Monitoring goes on without it; only report and status are affected.
            log.error("no local socket, so 'firstline-agent report' and 'status' will not reach this agent: {}", e.getMessage());
        }
    }

    /** The local socket's path, if it is listening. */
    public java.util.Optional<java.nio.file.Path> localSocket() {
        return local == null ? java.util.Optional.empty() : java.util.Optional.of(local.socket());
    }

    /** What the user's voice needs from this agent. */
    private final class VoiceAgent implements UserVoice.Agent {
        @Override
        public String agentId() {
            return agentId;
        }

        @Override
        public String hostname() {
            return facts.getHostname();
        }

        /** Collects twice a second apart (rates need a base) with collectors of its own, on the collect thread. */
        @Override
        public CompletableFuture<List<SnapshotTable>> snapshot() {
            CompletableFuture<List<SnapshotTable>> f = new CompletableFuture<>();
            try {
                collectThread.execute(() -> {
                    try {
                        if (reportRunner == null) {
                            reportRunner = new CollectorRunner(io.firstline.agent.collect.CollectorRegistry.everyCycle(registrations),
                                    probe, clock);
                        }
                        reportRunner.collect();
                        collectThread.schedule(() -> {
                            try {
                                f.complete(SnapshotTables.of(facts, reportRunner.collect(), java.time.ZoneId.systemDefault()));
                            } catch (RuntimeException e) {
                                f.completeExceptionally(e);
                            }
                        }, 1, TimeUnit.SECONDS);
                    } catch (RuntimeException e) {
                        f.completeExceptionally(e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                f.completeExceptionally(stopping);
            }
            return f;
        }

        @Override
        public void send(Envelope.Builder message) {
            link.send(message);
        }

        @Override
        public boolean connected() {
            return link.isConnected();
        }
    }

    /** The agent's fault rules (what it holds raised, for tests and status). */
    public AgentRules rules() {
        return rules;
    }

    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
        events.close();
        diagnostics.close();
        rules.close();
        collectThread.shutdownNow();
        renewal.close();
        link.close();
        spool.close();
        bootRecord.markStopped();
    }
}

package io.firstline.simulator;

import io.firstline.cli.CliSupport;
import io.firstline.cli.CliSupport.UserError;
import io.firstline.agent.link.ConsoleAddress;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code java -jar firstline-simulator.jar enroll|run}: a simulated fleet
 * against any console (docs/benchmarks.md, "Capacity").
 */
@Command(name = "firstline-simulator", mixinStandardHelpOptions = true,
        description = "Runs many simulated agents in one JVM, on the real agent link, against a console.",
        subcommands = {SimulatorMain.Enroll.class, SimulatorMain.Run.class})
public final class SimulatorMain implements Runnable {
    public static void main(String[] args) {
        // Thousands of agents in one JVM: each one's connect and rule messages would drown the output.
        if (System.getProperty("org.slf4j.simpleLogger.log.io.firstline.agent") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.io.firstline.agent", "warn");
        }
        System.exit(CliSupport.execute(new SimulatorMain(), args));
    }

    @Override
    public void run() {
        throw new IllegalArgumentException("say what to do: enroll or run (see --help)");
    }

    /** Where the console is and which identities to use. */
    static final class Target {
        @Option(names = "--console", required = true, paramLabel = "URL", description = "The console's HTTP address, e.g. http://127.0.0.1:8080.")
        String console;

        @Option(names = "--api-token-file", required = true, paramLabel = "FILE",
                description = "A file holding an admin's API token (e.g. the demo's DATA/api-token, or 'api-token create --user admin').")
        Path apiTokenFile;

        @Option(names = "--agents", required = true, paramLabel = "N", description = "How many simulated agents.")
        int agents;

        @Option(names = "--pool", paramLabel = "DIR", defaultValue = "simulator-pool",
                description = "The enrolled identities of this console, reused from run to run (default: ${DEFAULT-VALUE}).")
        Path pool;

        @Option(names = "--agent-address", paramLabel = "HOST:PORT[,HOST:PORT...]",
                description = {"The console's agent port (default: the address the console advertises with a new token).",
                        "Several console nodes: every agent is given all of them, each starting at another one in turn,"
                                + " so the agents are split evenly across the nodes (enrollment goes to the first)."})
        String agentAddress;

        @Option(names = "--enroll-parallel", paramLabel = "N", defaultValue = "8", description = "Enrollments at a time (default: ${DEFAULT-VALUE}).")
        int parallel;

        ConsoleApi api() {
            if (agents < 1 || agents > 100_000) {
                throw new IllegalArgumentException("--agents must be from 1 to 100000, got " + agents);
            }
            if (parallel < 1 || parallel > 64) {
                throw new IllegalArgumentException("--enroll-parallel must be from 1 to 64, got " + parallel);
            }
            try {
                String token = Files.readString(apiTokenFile).trim();
                if (token.isEmpty()) {
                    throw new UserError("the API token file " + apiTokenFile + " is empty");
                }
                return new ConsoleApi(console, token);
            } catch (IOException e) {
                throw new UserError("cannot read the API token file " + apiTokenFile + ": " + e.getMessage());
            }
        }

        /** The first console address given, for enrollment; null when none was. */
        ConsoleAddress agentPort() {
            return agentAddress == null ? null : agentPorts().get(0);
        }

        /** Every console address given; empty when none was. */
        List<ConsoleAddress> agentPorts() {
            return agentAddress == null ? List.of() : ConsoleAddress.parseList(agentAddress);
        }

        /** Makes sure the pool holds {@code agents} identities, enrolling the missing ones; returns the pool. */
        AgentPool enrolled(ConsoleApi api) {
            AgentPool pool = new AgentPool(pool());
            int have = pool.enrolled();
            if (have >= agents) {
                return pool;
            }
            AgentPool.Grant grant = api.grant(agents - have, agentPort());
            long t0 = System.nanoTime();
            int step = Math.max(100, (agents - have) / 10);
            out("enrolling %d agents (%d already in %s), %d at a time", agents - have, have, pool.dir(), parallel);
            try {
                pool.enroll(grant, have, agents, parallel, done -> {
                    if (done % step == 0) {
                        out("  %d enrolled", done);
                    }
                });
            } catch (IllegalStateException e) {
                throw new UserError(e.getMessage());
            }
            double s = (System.nanoTime() - t0) / 1e9;
            out("enrolled %d agents in %.1f s (%.0f per second)", agents - have, s, (agents - have) / s);
            return pool;
        }

        private Path pool() {
            return pool;
        }
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "Enroll identities for simulated agents into the pool directory, once, so that runs start at once.")
    static final class Enroll implements Runnable {
        @Mixin
        Target target = new Target();

        @Override
        public void run() {
            AgentPool pool = target.enrolled(target.api());
            out("pool %s holds %d enrolled agents", pool.dir(), pool.enrolled());
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run the simulated fleet until stopped (or for --duration), then print one summary line.",
                    "Prints 'measuring' once every agent is connected and one interval (and --warmup) has passed; the summary covers the time from there."})
    static final class Run implements Runnable {
        @Mixin
        Target target = new Target();

        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s", description = "Sample interval (default: ${DEFAULT-VALUE}).")
        Duration interval;

        @Option(names = "--duration", paramLabel = "DURATION", description = "Stop by itself this long after 'measuring' (default: run until stopped).")
        Duration duration;

        @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "0s",
                description = "After every agent is connected and one interval has passed, run this much longer before 'measuring', so the console's JIT settles (default: ${DEFAULT-VALUE}).")
        Duration warmup;

        @Option(names = "--starts-per-second", paramLabel = "N", defaultValue = "100",
                description = "Agents started per second, so a large fleet connects without a storm of its own (default: ${DEFAULT-VALUE}).")
        int startsPerSecond;

        @Option(names = "--link-threads", paramLabel = "N", defaultValue = "2", description = "Event-loop threads the links share (default: ${DEFAULT-VALUE}).")
        int linkThreads;

        @Option(names = "--fault-every", paramLabel = "DURATION", defaultValue = "5s",
                description = "Make a random connected agent's file system turn read-only this often, and time it to its ticket; 0 for none (default: ${DEFAULT-VALUE}).")
        Duration faultEvery;

        @Option(names = "--fault-hold", paramLabel = "DURATION", defaultValue = "10s", description = "How long an injected fault lasts (default: ${DEFAULT-VALUE}).")
        Duration faultHold;

        @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "15m",
                description = "Give up if not every agent is connected within this (default: ${DEFAULT-VALUE}).")
        Duration connectTimeout;

        @Option(names = "--status-every", paramLabel = "DURATION", defaultValue = "10s", description = "How often to print progress (default: ${DEFAULT-VALUE}).")
        Duration statusEvery;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the simulated values and faults (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--tls", paramLabel = "PROVIDER", defaultValue = "jdk",
                description = {"The simulated agents' TLS: jdk (the agent's own) or boringssl (netty-tcnative; a client handshake costs"
                        + " a fraction of the JDK's, so that thousands of agents returning at once fit beside the console on one machine)"
                        + " (default: ${DEFAULT-VALUE})."})
        String tls;

        @Option(names = "--misbehaving", paramLabel = "N", defaultValue = "0",
                description = {"Of the agents, 3N misbehave once the others are connected: N fall silent after their Hello, N flood"
                        + " heartbeats, N announce an oversized frame; each starts over a second after the console ends it (default: ${DEFAULT-VALUE})."})
        int misbehaving;

        @Override
        public void run() {
            SslProvider provider = switch (tls) {
                case "jdk" -> SslProvider.JDK;
                case "boringssl" -> {
                    if (!OpenSsl.isAvailable()) {
                        throw new IllegalArgumentException("--tls boringssl: netty-tcnative cannot load here ("
                                + OpenSsl.unavailabilityCause() + "); use --tls jdk");
                    }
                    yield SslProvider.OPENSSL;
                }
                default -> throw new IllegalArgumentException("--tls must be jdk or boringssl, got " + tls);
            };
            ConsoleApi api = target.api();
            AgentPool pool = target.enrolled(api);
            List<ConsoleAddress> consoles = target.agentPort() != null ? target.agentPorts() : List.of(pool.agentPort());
            long t0 = System.nanoTime();
            int bad = 3 * misbehaving;
            if (misbehaving < 0 || bad >= target.agents) {
                throw new IllegalArgumentException("--misbehaving must be from 0 to (agents - 1) / 3, got " + misbehaving);
            }
            List<io.firstline.agent.enroll.AgentCredentials> identities = pool.load(target.agents);
            Fleet fleet = new Fleet(identities.subList(0, target.agents - bad),
                    new Fleet.Settings(consoles, interval, linkThreads, startsPerSecond, seed, provider), Clock.systemUTC());
            int good = fleet.agents().size();
            Misbehaving misfits = new Misbehaving(consoles);
            FaultClock faults = new FaultClock(api, fleet.agents(), faultHold, seed);
            out("starting %d agents against %s (identities loaded in %.1f s), %d per second, sampling every %s, TLS: %s", target.agents,
                    consoles.size() == 1 ? consoles.get(0) : consoles.size() + " console nodes " + consoles,
                    (System.nanoTime() - t0) / 1e9, startsPerSecond, interval, tls);
            CountDownLatch stop = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();
            Measurement m = new Measurement(fleet, faults, () -> misbehaving == 0 ? null
                    : "misbehaving agents' connections " + misfits.connections() + "; the console closed connections for "
                    + api.rejections("idle_timeout", "rate_limited", "oversize"));
            Thread hook = new Thread(() -> {
                stop.countDown();
                m.finish(finished);
            }, "sim-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            long started = System.nanoTime();
            fleet.start();
            try {
                long lastStatus = 0;
                while (fleet.connected() < good) {
                    if (stop.await(1, TimeUnit.SECONDS)) {
                        return;
                    }
                    long now = System.nanoTime();
                    if (now - started > connectTimeout.toNanos()) {
                        throw new UserError("only " + fleet.connected() + " of " + good + " agents connected within "
                                + connectTimeout + " (is the pool " + pool.dir() + " enrolled with this console?)");
                    }
                    if (now - lastStatus >= statusEvery.toNanos()) {
                        out("  %.0f s: %d of %d connected", (now - started) / 1e9, fleet.connected(), good);
                        lastStatus = now;
                    }
                }
                out("all %d agents connected after %.1f s", good, (System.nanoTime() - started) / 1e9);
                for (int i = 0; i < misbehaving; i++) {
                    for (Misbehaving.Kind k : Misbehaving.Kind.values()) {
                        misfits.start(k, identities.get(good + 3 * i + k.ordinal()));
                    }
                }
                if (misbehaving > 0) {
                    out("started %d misbehaving agents (%d of each kind: %s)", bad, misbehaving, "stall, flood, oversize");
                }
                if (!faultEvery.isZero()) {
                    faults.start(faultEvery);
                }
                if (stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                if (!warmup.isZero()) {
                    out("warming up for %s", warmup);
                    if (stop.await(warmup.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
                m.begin();
                out("measuring: %d agents connected, one full interval of samples sent", good);
                long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
                while (System.nanoTime() < end) {
                    if (stop.await(Math.min(statusEvery.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)),
                            TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    out("  %d of %d connected, %d faults injected", fleet.connected(), good, faults.injected());
                }
                m.finish(finished);
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (!finished.get()) {
                    faults.close();
                    fleet.close();
                }
                misfits.close();
            }
        }
    }

    /** The steady phase's figures: from {@link #begin} to {@link #finish}, then the fleet stops. */
    private static final class Measurement {
        private final Fleet fleet;
        private final FaultClock faults;
        private volatile long begun;
        private volatile long faultsBefore;
        private volatile long missingBefore;
        /** One more line for the end (null for none). */
        private final java.util.function.Supplier<String> more;

        Measurement(Fleet fleet, FaultClock faults, java.util.function.Supplier<String> more) {
            this.fleet = fleet;
            this.faults = faults;
            this.more = more;
        }

        void begin() {
            fleet.takeIngestTimes();
            faults.takeTimes();
            faultsBefore = faults.injected();
            missingBefore = faults.missing();
            begun = System.nanoTime();
        }

        synchronized void finish(AtomicBoolean finished) {
            if (finished.getAndSet(true)) {
                return;
            }
            if (begun != 0) {
                Histogram ingest = fleet.takeIngestTimes();
                Histogram ticket = faults.takeTimes();
                out("simulator agents=%d connected=%d measured_s=%.0f samples_acked=%d ingest_p50_ms=%.1f ingest_p99_ms=%.1f"
                                + " ingest_max_ms=%.1f faults=%d fault_to_ticket_p50_ms=%.0f fault_to_ticket_p99_ms=%.0f"
                                + " fault_to_ticket_max_ms=%.0f faults_without_ticket=%d",
                        fleet.agents().size(), fleet.connected(), (System.nanoTime() - begun) / 1e9, ingest.getTotalCount(),
                        ms(ingest, 50), ms(ingest, 99), ingest.getMaxValue() / 1000.0, faults.injected() - faultsBefore,
                        ms(ticket, 50), ms(ticket, 99), ticket.getMaxValue() / 1000.0, faults.missing() - missingBefore);
                String line = more.get();
                if (line != null) {
                    out("%s", line);
                }
            }
            faults.close();
            fleet.close();
        }

        private static double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}

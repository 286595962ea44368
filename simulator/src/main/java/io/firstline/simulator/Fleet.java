package io.firstline.simulator;

import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.link.ConsoleAddress;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * N simulated agents in this JVM: their links share {@code linkThreads}
 * event-loop threads, their collection cycles one scheduler thread, each
 * agent sampling every interval at an offset of its own. Agents are started
 * at a bounded rate, so a large fleet connects without a self-made storm.
 */
final class Fleet implements AutoCloseable {
    /** How the fleet runs; {@code tls}: the simulated agents' TLS provider, the agent's own (JDK) or BoringSSL (OPENSSL). */
    record Settings(List<ConsoleAddress> consoles, Duration interval, int linkThreads, int startsPerSecond, long seed,
                    SslProvider tls) {
        Settings {
            consoles = List.copyOf(consoles);
            if (interval.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("the interval must be at least 100ms, got " + interval);
            }
            if (linkThreads < 1 || startsPerSecond < 1) {
                throw new IllegalArgumentException("link threads and starts per second must be positive");
            }
        }
    }

    private final Settings settings;
    private final EventLoopGroup linkLoops;
    private final ScheduledExecutorService collect;
    private final Recorder ingestMicros = new Recorder(3);
    private final List<SimulatedAgent> agents;

    Fleet(List<AgentCredentials> identities, Settings settings, Clock clock) {
        this.settings = settings;
        this.linkLoops = new MultiThreadIoEventLoopGroup(settings.linkThreads(), new DefaultThreadFactory("sim-link", true),
                NioIoHandler.newFactory());
        this.collect = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-collect");
            t.setDaemon(true);
            return t;
        });
        List<SimulatedAgent> list = new ArrayList<>(identities.size());
        SplittableRandom seeds = new SplittableRandom(settings.seed());
        for (AgentCredentials c : identities) {
            list.add(new SimulatedAgent(c, c.clientContext(settings.tls()), startingAt(settings.consoles(), list.size()),
                    settings.interval(), seeds.nextLong(), linkLoops, collect, clock, nanos -> ingestMicros.recordValue(nanos / 1000)));
        }
        this.agents = List.copyOf(list);
    }

    /**
     * Every console address, agent {@code index}'s first in turn (index modulo their count): with several console
     * nodes, the agents are split evenly across them, and each fails over to the others as a real agent does.
     */
    static List<ConsoleAddress> startingAt(List<ConsoleAddress> consoles, int index) {
        int first = index % consoles.size();
        List<ConsoleAddress> out = new ArrayList<>(consoles.subList(first, consoles.size()));
        out.addAll(consoles.subList(0, first));
        return List.copyOf(out);
    }

    List<SimulatedAgent> agents() {
        return agents;
    }

    /**
     * Starts every agent, {@code startsPerSecond} at a time: each connects and
     * from then on samples every interval, at a random offset within it.
     */
    void start() {
        long every = settings.interval().toMillis();
        SplittableRandom offsets = new SplittableRandom(settings.seed() + 1);
        long spacingNanos = 1_000_000_000L / settings.startsPerSecond();
        for (int i = 0; i < agents.size(); i++) {
            SimulatedAgent a = agents.get(i);
            long startNanos = i * spacingNanos;
            collect.schedule(a::start, startNanos, TimeUnit.NANOSECONDS);
            collect.scheduleAtFixedRate(a::cycle, startNanos / 1_000_000 + offsets.nextLong(every), every, TimeUnit.MILLISECONDS);
        }
    }

    int connected() {
        int n = 0;
        for (SimulatedAgent a : agents) {
            if (a.connected()) {
                n++;
            }
        }
        return n;
    }

    /** Ingest latencies (sample handed to the link to its Ack) since the last call, in µs. */
    Histogram takeIngestTimes() {
        return ingestMicros.getIntervalHistogram();
    }

    @Override
    public void close() {
        collect.shutdownNow();
        for (SimulatedAgent a : agents) {
            a.close();
        }
        linkLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

package io.firstline.console.bench;

import static org.awaitility.Awaitility.await;

import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.enroll.Enroller;
import io.firstline.agent.link.AgentLink;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.agent.link.LinkSecurity;
import io.firstline.agent.link.MemoryOutbox;
import io.firstline.agent.link.Outbox.Position;
import io.firstline.agent.spool.DiskSpool;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.enroll.TokenInfo;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.console.store.SqliteStore;
import io.firstline.proto.Envelope;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.Welcome;
import io.firstline.wire.WireProtocol;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The agent-link benchmark (docs/benchmarks.md, "Agent link"). Not a unit
 * test: surefire runs it only when asked,
 * {@code ./mvnw -B -pl proto,agent,console -am test -Dtest=AgentLinkBench -Dsurefire.failIfNoSpecifiedTests=false -Dbench.agents=1000}.
 * The console runs as its own JVM (so its CPU and memory are its own); the
 * simulated agents are real {@link AgentLink}s with real TLS client
 * certificates from real enrollments, sharing two event-loop threads, each
 * sending a sample of 40 values every 10 s.
 */
class AgentLinkBench {
    private final int agents = Integer.getInteger("bench.agents", 1000);
    private final Duration interval = Duration.ofSeconds(Integer.getInteger("bench.intervalSeconds", 10));
    private final int agentPort = TestSupport.freePort();
    private final int httpPort = TestSupport.freePort();
    private final String base = "http://127.0.0.1:" + httpPort;
    private Path dir;
    private Process console;
    private final StringBuilder report = new StringBuilder();

    private void say(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println(line);
        report.append(line).append('\n');
    }

    private Process startConsole() throws IOException {
        Path cfg = dir.resolve("console.yaml");
        Files.writeString(cfg, """
                dataDir: %s
                agent:
                  bind: 127.0.0.1
                  port: %d
                http:
                  bind: 127.0.0.1
                  port: %d
                sampleInterval: %ds
                """.formatted(dir.resolve("console"), agentPort, httpPort, interval.toSeconds()));
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "io.firstline.console.ConsoleMain", "serve", "--config", cfg.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile())).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> TestSupport.get(base + "/healthz").status() == 200);
        return p;
    }

    private double metric(String name) {
        return TestSupport.get(base + "/metrics").body().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim())).findFirst().orElse(-1);
    }

    private double metricTagged(String name, String reason) {
        String prefix = name + "{reason=\"" + reason + "\"}";
        return TestSupport.get(base + "/metrics").body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(-1);
    }

    /** The console's heap in use right after a full GC (jcmd GC.run), in bytes: live data only. */
    private double heapAfterGc(long pid) throws Exception {
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        return TestSupport.get(base + "/metrics").body().lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** CPU seconds the process has used (user + system), from /proc. */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static long rssKiB(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
    }

    /** Average CPU of the console over {@code d}, in % of one core. */
    private double cpuOver(Duration d) throws Exception {
        long pid = console.pid();
        double c0 = cpuSeconds(pid);
        long t0 = System.nanoTime();
        Thread.sleep(d.toMillis()); // the measurement window itself
        return 100 * (cpuSeconds(pid) - c0) / ((System.nanoTime() - t0) / 1e9);
    }

    private static Sample.Builder sample(int n, boolean first) {
        Sample.Builder s = Sample.newBuilder().setTimestampMs(System.currentTimeMillis());
        Random r = new Random(n);
        for (int i = 1; i <= 40; i++) {
            if (first) {
                s.addNewSeries(SeriesDef.newBuilder().setId(i).setMetric("bench.metric_" + i + "_ratio").setResource(i % 4 == 0 ? "/" : ""));
            }
            s.addSeries(i).addValues(r.nextDouble());
        }
        return s;
    }

    @Test
    void agentLink() throws Exception {
        dir = Files.createTempDirectory("firstline-bench-");
        say("Agent link benchmark, %s, %d agents, sample interval %s, %d cores, Java %s", Instant.now(), agents, interval,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        console = startConsole();
        ConsoleAddress address = new ConsoleAddress("127.0.0.1", agentPort);

        // Enroll every simulated agent for real: token, CSR, certificate over TLS.
        String token;
        String pin;
        try (SqliteStore store = SqliteStore.open(dir.resolve("console"))) {
            Path data = dir.resolve("console");
            Enrollment e = new Enrollment(store, ConsoleCa.loadOrCreate(data, Console.consoleId(data), Clock.systemUTC()), Clock.systemUTC());
            TokenInfo t = e.createToken("bench", Duration.ofHours(2), agents, "bench");
            token = t.secret();
            pin = e.caFingerprint();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long e0 = System.nanoTime();
        List<Future<AgentCredentials>> creds = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String id = "sim-" + i;
            creds.add(pool.submit(() -> new Enroller(Duration.ofSeconds(60)).enroll(address, token, pin, id,
                    HostFacts.newBuilder().setHostname(id).build(), "bench", dir.resolve("agents").resolve(id))));
        }
        List<AgentCredentials> enrolled = new ArrayList<>();
        for (Future<AgentCredentials> f : creds) {
            enrolled.add(f.get());
        }
        pool.shutdown();
        say("enrollment: %d agents in %.1f s (%.0f per second, 4 parallel)", agents, (System.nanoTime() - e0) / 1e9,
                agents / ((System.nanoTime() - e0) / 1e9));

        long pid = console.pid();
        double heapIdle = heapAfterGc(pid);
        say("console idle (no agents connected): CPU %.1f %% of one core, RSS %d MiB, heap after GC %.1f MiB",
                cpuOver(Duration.ofSeconds(5)), rssKiB(pid) / 1024, heapIdle / (1 << 20));

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("sim-agents", true), NioIoHandler.newFactory());
        List<AgentLink> links = new ArrayList<>();
        long epoch = System.currentTimeMillis();
        long c0 = System.nanoTime();
        double cpuBeforeConnect = cpuSeconds(pid);
        for (AgentCredentials c : enrolled) {
            Hello hello = Hello.newBuilder().setAgentId(c.agentId()).setBootEpoch(epoch).setAgentVersion("bench")
                    .setProtocolVersion(WireProtocol.VERSION).setMinProtocolVersion(WireProtocol.MIN_VERSION)
                    .setHost(HostFacts.newBuilder().setHostname(c.agentId())).addCollectors("bench").build();
            AgentLink link = new AgentLink(new AgentLink.Settings(List.of(address), epoch, WireProtocol.DEFAULT_MAX_FRAME_BYTES, interval,
                    AgentLink.Settings.DEFAULT_BACKFILL_PER_SECOND, LinkSecurity.of(c.clientContext())), new MemoryOutbox(10_000, epoch),
                    () -> hello, List::of, (Welcome w) -> { }, RandomGenerator.getDefault(), group);
            link.start();
            links.add(link);
        }
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250)).until(() -> metric("firstline_agents_connected") == agents);
        say("first connection of all %d agents (TLS handshakes): %.1f s, console CPU %.1f ms per connection (handshake, revocation check, Hello)",
                agents, (System.nanoTime() - c0) / 1e9, 1000 * (cpuSeconds(pid) - cpuBeforeConnect) / agents);

        ScheduledExecutorService samplers = Executors.newScheduledThreadPool(1);
        for (int i = 0; i < links.size(); i++) {
            AgentLink link = links.get(i);
            int n = i;
            boolean[] first = {true};
            samplers.scheduleAtFixedRate(() -> {
                link.send(Envelope.newBuilder().setSample(sample(n, first[0])));
                first[0] = false;
            }, interval.toMillis() * i / links.size(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        Thread.sleep(interval.toMillis() + 2_000); // one full round of samples before measuring
        double steady = cpuOver(Duration.ofSeconds(30));
        long rss = rssKiB(pid);
        say("steady state, %d agents sending every %s: console CPU %.1f %% of one core (30 s average), RSS %d MiB", agents, interval,
                steady, rss / 1024);
        double heapBusy = heapAfterGc(pid);
        say("heap after GC with %d agents connected: %.1f MiB, %.1f KiB per agent more than idle", agents, heapBusy / (1 << 20),
                (heapBusy - heapIdle) / 1024 / agents);
        say("samples applied so far: %.0f", metric("firstline_ingest_samples_total"));

        // The reconnect storm: stop the console, start it again, watch everyone come back.
        console.destroy();
        console.waitFor(30, TimeUnit.SECONDS);
        long down = System.nanoTime();
        console = startConsole();
        long up = System.nanoTime();
        pid = console.pid();
        double stormCpu0 = cpuSeconds(pid);
        double lastCpu = stormCpu0;
        double lastAccepted = 0;
        long lastT = System.nanoTime();
        double peakCpu = 0;
        double peakAccepts = 0;
        double connected = 0;
        while (connected < agents && System.nanoTime() - up < TimeUnit.MINUTES.toNanos(5)) {
            Thread.sleep(500);
            long now = System.nanoTime();
            double cpu = cpuSeconds(pid);
            double accepted = metric("firstline_connections_accepted_total");
            double dt = (now - lastT) / 1e9;
            peakCpu = Math.max(peakCpu, 100 * (cpu - lastCpu) / dt);
            peakAccepts = Math.max(peakAccepts, (accepted - lastAccepted) / dt);
            lastCpu = cpu;
            lastAccepted = accepted;
            lastT = now;
            connected = metric("firstline_agents_connected");
        }
        double back = (System.nanoTime() - up) / 1e9;
        say("reconnect storm: console down and restarted in %.1f s; all %d agents back %.1f s after it was ready",
                (up - down) / 1e9, (int) connected, back);
        say("reconnect storm: peak console CPU %.0f %% of one core (0.5 s windows), %.1f CPU seconds in all, peak %.0f new connections"
                + " per second, %.0f accepted in all (%.0f closed at once as overloaded)", peakCpu, lastCpu - stormCpu0, peakAccepts,
                lastAccepted, metricTagged("firstline_connections_rejected_total", "overloaded"));

        samplers.shutdownNow();
        for (AgentLink l : links) {
            l.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        console.destroy();
        console.waitFor(30, TimeUnit.SECONDS);

        spoolCost();
        Files.writeString(Path.of("target", "bench-agent-link.txt"), report.toString());
    }

    /** What one record costs the agent's spool: append with the default sync policy, and with an fsync per record (events). */
    private void spoolCost() throws IOException {
        Envelope.Builder s = Envelope.newBuilder().setSample(sample(1, false));
        int size = s.build().getSerializedSize();
        for (Duration sync : List.of(Duration.ofSeconds(1), Duration.ZERO)) {
            Path d = Files.createTempDirectory(dir, "spool");
            int n = sync.isZero() ? 2_000 : 50_000;
            DiskSpool.Settings settings = new DiskSpool.Settings(DiskSpool.Settings.DEFAULT_CAP, 4 << 20, sync, WireProtocol.DEFAULT_MAX_FRAME_BYTES);
            try (DiskSpool spool = DiskSpool.open(d, settings, Clock.systemUTC(), 1)) {
                for (int i = 0; i < n / 10; i++) {
                    spool.append(s.clone());
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    spool.append(s.clone());
                }
                double appendUs = (System.nanoTime() - t0) / 1e3 / n;
                long bytes = spool.bytes();
                int count = spool.size();
                long a0 = System.nanoTime();
                List<io.firstline.agent.link.Outbox.Stored> all = spool.pending(Position.START, new Position(Long.MAX_VALUE, 0), count);
                double readUs = (System.nanoTime() - a0) / 1e3 / all.size();
                long k0 = System.nanoTime();
                for (io.firstline.agent.link.Outbox.Stored x : all) {
                    spool.ack(x.bootEpoch(), x.envelope().getSequence());
                }
                double ackUs = (System.nanoTime() - k0) / 1e3 / all.size();
                say("spool, %s: append %.1f µs/record, replay read %.1f µs/record, ack %.1f µs/record; %d B on disk per %d B envelope",
                        sync.isZero() ? "fsync every record (events)" : "fsync at most every 1 s (samples, default)",
                        appendUs, readUs, ackUs, bytes / count, size);
            }
        }
    }
}

package io.firstline.simulator;

import io.firstline.agent.encode.InventoryEncoder;
import io.firstline.agent.encode.SampleEncoder;
import io.firstline.agent.encode.SeriesDictionary;
import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.link.AgentLink;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.agent.link.LinkSecurity;
import io.firstline.agent.link.MemoryOutbox;
import io.firstline.agent.rules.AgentRules;
import io.firstline.agent.collect.Snapshot;
import io.firstline.proto.Envelope;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.RuleSet;
import io.firstline.proto.Welcome;
import io.firstline.wire.WireProtocol;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

/**
 * One simulated agent: its own enrolled identity and client certificate, the
 * agent's real {@link AgentLink} (on an event loop shared with the other
 * simulated agents), its real {@link SampleEncoder} with a series dictionary
 * of its own, and its real {@link AgentRules} running the rules the console
 * pushes. Only the collectors are simulated ({@link SimulatedHost}). The
 * collect-side work runs on one thread shared by every simulated agent.
 */
final class SimulatedAgent implements AutoCloseable {
    static final String VERSION = "simulator";

    private final String agentId;
    private final SimulatedHost host;
    private final SampleEncoder encoder;
    private final AgentLink link;
    private final AgentRules rules;
    private final ScheduledExecutorService collect;
    private final Clock clock;

    /** @param tls the link's TLS context, made from {@code credentials} */
    SimulatedAgent(AgentCredentials credentials, SslContext tls, List<ConsoleAddress> consoles, Duration interval, long seed,
                   EventLoopGroup linkLoops, ScheduledExecutorService collect, Clock clock, LongConsumer ingestNanos) {
        this.agentId = credentials.agentId();
        this.collect = collect;
        this.clock = clock;
        long epoch = clock.millis();
        this.host = new SimulatedHost(seed, epoch - 3_600_000);
        SeriesDictionary dictionary = new SeriesDictionary();
        this.encoder = new SampleEncoder(dictionary, SimulatedHost.COLLECTORS);
        Hello hello = Hello.newBuilder().setAgentId(agentId).setBootEpoch(epoch).setAgentVersion(VERSION)
                .setProtocolVersion(WireProtocol.VERSION).setMinProtocolVersion(WireProtocol.MIN_VERSION)
                .setHost(HostFacts.newBuilder().setHostname(agentId).setOsFamily("Debian GNU/Linux").setOsVersion("12 (bookworm)")
                        .setArch("amd64").setLogicalCpus(4).setMemoryBytes(8L << 30))
                .addAllCollectors(SimulatedHost.COLLECTORS).build();
        AgentLink.Settings settings = new AgentLink.Settings(consoles, epoch, WireProtocol.DEFAULT_MAX_FRAME_BYTES, interval,
                AgentLink.Settings.DEFAULT_BACKFILL_PER_SECOND, LinkSecurity.of(tls));
        Envelope.Builder inventory = Envelope.newBuilder().setInventory(InventoryEncoder.encode(host.inventory(agentId)));
        this.link = new AgentLink(settings, new TimedOutbox(new MemoryOutbox(10_000, epoch), ingestNanos), () -> hello,
                dictionary::all, new AgentLink.Listener() {
                    @Override
                    public void welcomed(Welcome welcome) {
                        link().send(inventory.clone());
                    }

                    @Override
                    public void ruleSet(RuleSet set) {
                        // Fast checks re-read real collectors between samples; a simulated agent has none to
                        // re-read, so its rules tick once per sample instead of four times a second.
                        rules().install(set.toBuilder().setCheckIntervalMs((int) Math.min(Integer.MAX_VALUE, interval.toMillis())).build());
                    }
                }, RandomGenerator.getDefault(), linkLoops);
        this.rules = new AgentRules(clock, collect, m -> link.send(m), List.of(), null, () -> 0, () -> interval);
    }

    private AgentLink link() {
        return link;
    }

    private AgentRules rules() {
        return rules;
    }

    String agentId() {
        return agentId;
    }

    void start() {
        link.start();
    }

    boolean connected() {
        return link.isConnected();
    }

    /** One collection cycle, on the collect thread: a sample to the link, its values to the rules. */
    void cycle() {
        Snapshot s = host.next(clock.millis());
        link.send(Envelope.newBuilder().setSample(encoder.encode(s)));
        rules.onSnapshot(s);
    }

    /**
     * File system {@code mount} turns read-only now and writable again after
     * {@code hold}: the agent's rules see it at once, as its mount watcher
     * would tell them, and the samples report it.
     */
    void readOnlyFault(String mount, Duration hold) {
        collect.execute(() -> {
            long now = clock.millis();
            host.fault(mount, now, now + hold.toMillis());
            rules.onReading("fs.read_only", mount, 0); // seen writable first, as the rule requires
            rules.onReading("fs.read_only", mount, 1);
        });
    }

    @Override
    public void close() {
        rules.close();
        link.close();
    }
}

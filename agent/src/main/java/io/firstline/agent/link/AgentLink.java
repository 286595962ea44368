package io.firstline.agent.link;

import io.firstline.proto.Ack;
import io.firstline.proto.Envelope;
import io.firstline.proto.Hello;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.Welcome;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's connection to the console. It connects, says Hello, and once
 * welcomed sends the series dictionary; from then on each new message goes
 * out as it is produced, and the {@link Backfill} sends what the {@link Outbox}
 * still holds from before (earlier connections, earlier boots) behind it at a
 * bounded rate. When the connection is lost it reconnects with {@link Backoff},
 * trying the console addresses in turn as {@link Failover} decides (a node
 * that refuses with a time to come back is left for the next address). All
 * state lives on one event loop thread, so there are no locks.
 */
public final class AgentLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentLink.class);

    /** What the rest of the agent hears from the link. */
    public interface Listener {
        /** A console accepted us; it may have changed the sample interval. */
        void welcomed(Welcome welcome);

        /** Estimated offset of the console's clock from ours (console minus agent), in ms. */
        default void clockOffset(long millis) {
        }

        /** The console pushed the fault rules this agent runs (at connect and when they change). */
        default void ruleSet(io.firstline.proto.RuleSet set) {
        }

        /** The console sent this machine's ticket status (after the Welcome and when a ticket changes). */
        default void ticketStatus(io.firstline.proto.TicketStatus status) {
        }

        /** The console asks for a diagnostic; the listener checks it against this agent's own allow-list. */
        default void diagnosticRequest(io.firstline.proto.DiagnosticRequest request) {
        }

        /** The console asks to stop a running diagnostic. */
        default void diagnosticCancel(long requestId) {
        }
    }

    /** How the link reaches the console, and what it says first. */
    public record Settings(List<ConsoleAddress> consoles, long bootEpoch, int maxFrameBytes, Duration heartbeatInterval,
                           int backfillPerSecond, LinkSecurity security) {
        /** Messages per second sent from the backlog after a reconnect, behind live data. */
        public static final int DEFAULT_BACKFILL_PER_SECOND = 50;

        public Settings {
            consoles = List.copyOf(consoles);
            if (consoles.isEmpty()) {
                throw new IllegalArgumentException("at least one console address is needed");
            }
            if (backfillPerSecond < 1) {
                throw new IllegalArgumentException("backfillPerSecond must be positive, got " + backfillPerSecond);
            }
            java.util.Objects.requireNonNull(security, "security");
        }
    }

    private final Settings settings;
    private final Outbox outbox;
    private final Supplier<Hello> hello;
    private final Supplier<List<SeriesDef>> dictionary;
    private final Listener listener;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Failover failover;

    private Channel live;
    private Backfill backfill;
    private final AttemptLog attempts = new AttemptLog(System::nanoTime);
    /** The console address of the attempt in progress (or of the live connection). */
    private ConsoleAddress attempting;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Duration heartbeat;
    private volatile long lastConnectMicros = -1;
    /** When the console's last refusal asked us to come back (ms after, ms spread); null when it did not. */
    private long[] retryHint;

    public AgentLink(Settings settings, Outbox outbox, Supplier<Hello> hello, Supplier<List<SeriesDef>> dictionary,
                     Listener listener, RandomGenerator random) {
        this(settings, outbox, hello, dictionary, listener, random, null);
    }

    /**
     * A link on an event loop of {@code sharedGroup}, which the caller owns and
     * shuts down (simulated agents, many links per thread); null for a link
     * with its own thread.
     */
    public AgentLink(Settings settings, Outbox outbox, Supplier<Hello> hello, Supplier<List<SeriesDef>> dictionary,
                     Listener listener, RandomGenerator random, EventLoopGroup sharedGroup) {
        this.settings = settings;
        this.outbox = Objects.requireNonNull(outbox);
        this.hello = hello;
        this.dictionary = dictionary;
        this.listener = listener;
        this.failover = new Failover(settings.consoles().size(), new Backoff(random), System::nanoTime);
        this.heartbeat = settings.heartbeatInterval();
        this.ownsGroup = sharedGroup == null;
        this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("firstline-link", true),
                NioIoHandler.newFactory()) : sharedGroup;
        this.loop = group.next();
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new LinkInitializer(this, settings.maxFrameBytes(), settings.security()));
    }

    public void start() {
        loop.execute(this::connect);
    }

    /** Numbers {@code message}, keeps it until acknowledged, and sends it now if connected. */
    public void send(Envelope.Builder message) {
        loop.execute(() -> {
            Envelope e = outbox.append(message);
            if (live != null && backfill != null) {
                backfill.live(e);
            }
        });
    }

    /** Sends a Heartbeat now if connected; the console's echo updates the clock offset. */
    public void measureClock() {
        loop.execute(() -> {
            if (live != null) {
                live.writeAndFlush(LinkHandler.heartbeat(), live.voidPromise());
            }
        });
    }

    /** How long the TCP connect of the current or last connection took, in µs; -1 before the first. */
    public long lastConnectMicros() {
        return lastConnectMicros;
    }

    /** Messages kept until the console acknowledges them (asked on the link's thread). */
    public int pending() {
        return java.util.concurrent.CompletableFuture.supplyAsync(outbox::size, loop).join();
    }

    /** Whether a console has welcomed this agent on the current connection. */
    public boolean isConnected() {
        return connected;
    }

    Duration heartbeatInterval() {
        return heartbeat;
    }

    Hello hello() {
        return hello.get();
    }

    /** The console address being tried (or connected to); asked on the link's thread. */
    ConsoleAddress attempting() {
        return attempting;
    }

    private void connect() {
        if (closed) {
            return;
        }
        ConsoleAddress address = settings.consoles().get(failover.current());
        attempting = address;
        long start = System.nanoTime();
        ChannelFuture f = bootstrap.connect(address.host(), address.port());
        f.addListener(done -> {
            if (done.isSuccess()) {
                lastConnectMicros = (System.nanoTime() - start) / 1000;
            } else {
                attemptFailed(address, LinkHandler.describe(done.cause()));
            }
        });
    }

    /**
     * An attempt ended before a console welcomed us (no TCP connection, no TLS,
     * refused): logged, rate-limited, and the next console address is tried
     * ({@link Failover}).
     */
    private void attemptFailed(ConsoleAddress address, String reason) {
        Failover.Next next = retryHint != null ? failover.refused(retryHint[0], retryHint[1]) : failover.attemptFailed();
        retryHint = null;
        if (closed) {
            return;
        }
        attempts.failed(address, reason, next.delay()).ifPresent(log::warn);
        loop.schedule(this::connect, next.delay().toMillis(), TimeUnit.MILLISECONDS);
    }

    void onWelcome(Channel ch, Welcome welcome) {
        live = ch;
        connected = true;
        long failedBefore = attempts.succeeded();
        failover.welcomed();
        if (welcome.getSampleIntervalMs() > 0) {
            heartbeat = Duration.ofMillis(welcome.getSampleIntervalMs());
        }
        outbox.ackThrough(welcome.getAckedSequence());
        backfill = new Backfill(ch, outbox, dictionary, settings.backfillPerSecond());
        backfill.start();
        ch.writeAndFlush(LinkHandler.heartbeat(), ch.voidPromise()); // measures the clock offset at once
        log.info("connected to console {} at {} ({} messages to catch up{})", welcome.getConsoleId(), ch.remoteAddress(), outbox.size(),
                failedBefore == 0 ? "" : "; " + failedBefore + " attempts had failed");
        listener.welcomed(welcome);
    }

    void onAck(Channel ch, Ack ack) {
        if (live == ch && backfill != null) {
            backfill.acked(ack);
        } else {
            outbox.ack(ack.getBootEpoch(), ack.getSequence());
        }
    }

    void onRuleSet(io.firstline.proto.RuleSet set) {
        listener.ruleSet(set);
    }

    void onTicketStatus(io.firstline.proto.TicketStatus status) {
        listener.ticketStatus(status);
    }

    void onDiagnosticRequest(io.firstline.proto.DiagnosticRequest request) {
        listener.diagnosticRequest(request);
    }

    void onDiagnosticCancel(long requestId) {
        listener.diagnosticCancel(requestId);
    }

    void onClockOffset(long millis) {
        listener.clockOffset(millis);
    }

    /** The console's refusal said when to come back; the next attempt obeys it (capped, see {@link Backoff#hinted}). */
    void onRetryHint(long afterMs, long spreadMs) {
        retryHint = new long[] {afterMs, spreadMs};
    }

    void onClosed(Channel ch, String why) {
        if (live != ch) {
            // Closed before a Welcome: TLS failed, the console refused us, or it is not a console.
            attemptFailed(attempting, why);
            return;
        }
        live = null;
        backfill.stop();
        backfill = null;
        connected = false;
        if (closed) {
            return;
        }
        // The same console after a jitter, so a fleet that lost it at one moment does not return in one burst; or, when it
        // refused with a time to come back (it is stopping), the next address at once, or that time if it is the only one.
        Failover.Next next = retryHint != null ? failover.refused(retryHint[0], retryHint[1]) : failover.lost();
        retryHint = null;
        ConsoleAddress to = settings.consoles().get(next.index());
        log.warn("connection to console {} lost: {}; reconnecting{} in {} ms", attempting, why,
                to.equals(attempting) ? "" : " to " + to, next.delay().toMillis());
        loop.schedule(this::connect, next.delay().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.execute(() -> {
            if (live != null) {
                live.close();
            }
        });
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

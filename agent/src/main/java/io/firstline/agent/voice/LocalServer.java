package io.firstline.agent.voice;

import com.google.protobuf.InvalidProtocolBufferException;
import io.firstline.proto.LocalRequest;
import io.firstline.proto.LocalResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local Unix domain socket, for {@code report} and {@code status}.
 * One request and one answer per connection. The peer is whoever the kernel
 * says connected (SO_PEERCRED), so a client cannot speak for another user.
 *
 * <p>Hostile or broken clients cost little and hurt no one else: a client
 * that sends nothing is closed after the read timeout, garbage or an oversize
 * length closes that connection, at most {@code maxConnections} are served at
 * once (more are closed at once) and at most {@code perUser} of them for one
 * user. Each drop is counted by reason. A Unix socket has no network address:
 * it is reachable only from this machine, by users the file mode lets in.
 */
public final class LocalServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalServer.class);

    /**
     * Where and how to listen.
     *
     * @param mode the socket file's permissions; who may connect (default
     *             {@code rw-rw-rw-}: every local user may report)
     */
    public record Settings(Path socket, Set<PosixFilePermission> mode, Duration readTimeout, Duration answerTimeout,
                           int maxConnections, int perUser) {
        public static final Set<PosixFilePermission> EVERYONE = PosixFilePermissions.fromString("rw-rw-rw-");

        public Settings {
            mode = Set.copyOf(mode);
            if (maxConnections < 1 || perUser < 1) {
                throw new IllegalArgumentException("connection limits must be positive");
            }
        }

        /** The defaults: mode 0666, 5 s to send a request, 30 s to answer, 8 connections, 2 per user. */
        public static Settings at(Path socket) {
            return new Settings(socket, EVERYONE, Duration.ofSeconds(5), Duration.ofSeconds(30), 8, 2);
        }

        public Settings withMode(Set<PosixFilePermission> m) {
            return new Settings(socket, m, readTimeout, answerTimeout, maxConnections, perUser);
        }

        public Settings withReadTimeout(Duration d) {
            return new Settings(socket, mode, d, answerTimeout, maxConnections, perUser);
        }
    }

    private final Settings settings;
    private final LocalHandler handler;
    private final ServerSocketChannel server;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timers;
    private final Thread acceptor;
    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> drops = new ConcurrentHashMap<>();
    private final AtomicLong served = new AtomicLong();
    private volatile boolean closed;

    private LocalServer(Settings settings, LocalHandler handler, ServerSocketChannel server) {
        this.settings = settings;
        this.handler = handler;
        this.server = server;
        this.workers = new ThreadPoolExecutor(settings.maxConnections(), settings.maxConnections(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> daemon(r, "firstline-local"));
        this.workers.allowCoreThreadTimeOut(true);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "firstline-local-timer"));
        this.acceptor = daemon(this::acceptLoop, "firstline-local-accept");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Binds the socket (replacing a stale socket file no agent answers on) and
     * starts serving.
     *
     * @throws IllegalStateException when another agent already listens there
     * @throws UncheckedIOException  when the socket cannot be made
     */
    public static LocalServer start(Settings settings, LocalHandler handler) {
        Path path = settings.socket().toAbsolutePath();
        LocalSocket.checkLength(path);
        try {
            io.firstline.files.PrivateFiles.directories(path.getParent());
            if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                if (answers(path)) {
                    throw new IllegalStateException("another agent is already listening on " + path);
                }
                Files.delete(path);
            }
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.bind(UnixDomainSocketAddress.of(path));
                Files.setPosixFilePermissions(path, settings.mode());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            LocalServer s = new LocalServer(settings, handler, ch);
            s.acceptor.start();
            log.info("local socket for report and status at {} (mode {})", path, PosixFilePermissions.toString(settings.mode()));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the local socket " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    public Path socket() {
        return settings.socket();
    }

    /** Connections dropped, by reason: busy, too_many_from_user, silent, garbage, oversize, closed_early. */
    public Map<String, Long> drops() {
        Map<String, Long> m = new java.util.TreeMap<>();
        drops.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Requests answered. */
    public long served() {
        return served.get();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("local socket accept failed: {}", e.toString());
                }
                return;
            }
            try {
                workers.execute(() -> serve(ch));
            } catch (RejectedExecutionException busy) {
                drop("busy", ch, "all " + settings.maxConnections() + " local connections are in use");
                close(ch);
            }
        }
    }

    private void serve(SocketChannel ch) {
        Peer peer;
        try {
            UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            peer = new Peer(p.user().getName());
        } catch (IOException | RuntimeException e) {
            drop("no_credentials", ch, e.toString());
            close(ch);
            return;
        }
        if (perUser.merge(peer.user(), 1, Integer::sum) > settings.perUser()) {
            release(peer);
            // Take the request off the socket first (within the read timeout), so the client reads the refusal
            // instead of a broken pipe.
            ScheduledFuture<?> cut = timers.schedule(() -> close(ch), settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                LocalSocket.read(ch, LocalRequest.parser());
                answer(ch, LocalResponse.newBuilder().setError("You have " + settings.perUser()
                        + " requests running already; wait for them to finish.").build());
            } catch (IOException ignored) {
                // it went away or sent garbage: nothing to answer
            } finally {
                cut.cancel(false);
                drop("too_many_from_user", ch, peer.user());
                close(ch);
            }
            return;
        }
        ScheduledFuture<?> deadline = timers.schedule(() -> close(ch), settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            LocalRequest request;
            try {
                request = LocalSocket.read(ch, LocalRequest.parser());
            } catch (ClosedChannelException timedOut) {
                drop("silent", ch, peer.user() + " sent no complete request within " + settings.readTimeout().toMillis() + " ms");
                return;
            } catch (EOFException early) {
                drop("closed_early", ch, peer.user());
                return;
            } catch (InvalidProtocolBufferException garbage) {
                drop(garbage.getMessage() != null && garbage.getMessage().startsWith("message length") ? "oversize" : "garbage",
                        ch, peer.user() + ": " + garbage.getMessage());
                return;
            } catch (IOException e) {
                drop("io_error", ch, peer.user() + ": " + e);
                return;
            }
            deadline.cancel(false);
            if (request.getKindCase() == LocalRequest.KindCase.KIND_NOT_SET) {
                drop("garbage", ch, peer.user() + ": a request of no known kind");
                return;
            }
            deadline = timers.schedule(() -> close(ch), settings.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
            LocalResponse response;
            try {
                response = handler.handle(peer, request);
            } catch (RuntimeException e) {
                log.error("local {} request of {} failed", request.getKindCase(), peer.user(), e);
                response = LocalResponse.newBuilder().setError("The agent could not do that: " + e.getMessage()).build();
            }
            answer(ch, response);
            served.incrementAndGet();
        } finally {
            // Released before the close, so a client that sees the close and comes straight back is not counted twice.
            deadline.cancel(false);
            release(peer);
            close(ch);
        }
    }

    private void answer(SocketChannel ch, LocalResponse r) {
        try {
            LocalSocket.write(ch, r);
        } catch (IOException e) {
            log.debug("could not answer a local client: {}", e.toString());
        }
    }

    private void release(Peer peer) {
        perUser.computeIfPresent(peer.user(), (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Counts and logs a dropped client; whoever holds the connection closes it. */
    private void drop(String reason, SocketChannel ch, String detail) {
        drops.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
        log.info("dropped a local client ({}): {}", reason, detail);
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    /** Stops listening and removes the socket file; requests being answered finish or are cut off. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // the acceptor ends either way
        }
        workers.shutdownNow();
        timers.shutdownNow();
        try {
            Files.deleteIfExists(settings.socket().toAbsolutePath());
        } catch (IOException e) {
            log.warn("could not remove the local socket {}: {}", settings.socket(), e.toString());
        }
    }
}

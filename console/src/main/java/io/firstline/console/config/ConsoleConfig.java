package io.firstline.console.config;

import io.firstline.console.net.IoSettings;
import io.firstline.console.pki.TlsProvider;
import io.firstline.console.store.StoreSettings;
import io.firstline.wire.Durations;
import io.firstline.wire.WireProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the console needs to start, with the defaults a fresh install
 * uses. Read from YAML by {@link ConfigLoader}; see README "Configuration".
 */
public record ConsoleConfig(Path dataDir, Listen agentListen, Listen httpListen, Duration sampleInterval,
                            int offlineAfterIntervals, int maxFrameBytes, Duration handshakeTimeout, StoreSettings store,
                            TlsProvider tlsProvider, int maxHandshakes, Duration shutdownSpread, Duration admissionWait,
                            IoSettings io) {

    /** An address to listen on. Port 0 picks a free port (tests). */
    public record Listen(String bind, int port) {
        public Listen {
            Objects.requireNonNull(bind, "bind");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
        }

        @Override
        public String toString() {
            return (bind.indexOf(':') >= 0 ? "[" + bind + "]" : bind) + ":" + port;
        }
    }

    public static final int DEFAULT_HTTP_PORT = 8080;
    /** TLS handshakes in progress at most: a few seconds of handshake work on a small machine, well inside the timeout. */
    public static final int DEFAULT_MAX_HANDSHAKES = 128;
    /** Agents told the console is stopping come back spread over this long, or longer for a large fleet (2 ms an agent). */
    public static final Duration DEFAULT_SHUTDOWN_SPREAD = Duration.ofSeconds(10);
    /**
     * How long a connection past {@code maxHandshakes} may wait, unread, for a
     * handshake slot before it is refused as overloaded. Agents give their TLS
     * handshake 30 s from the connect, and enrolling ones wait 15 s for an
     * answer (their {@code --timeout}), so 10 s leaves either its time.
     */
    public static final Duration DEFAULT_ADMISSION_WAIT = Duration.ofSeconds(10);
    public static final Duration MAX_ADMISSION_WAIT = Duration.ofSeconds(25);

    /** A console whose agent port picks its TLS provider ({@link TlsProvider#AUTO}), with the default admission control. */
    public ConsoleConfig(Path dataDir, Listen agentListen, Listen httpListen, Duration sampleInterval,
                         int offlineAfterIntervals, int maxFrameBytes, Duration handshakeTimeout, StoreSettings store) {
        this(dataDir, agentListen, httpListen, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, store,
                TlsProvider.AUTO, DEFAULT_MAX_HANDSHAKES, DEFAULT_SHUTDOWN_SPREAD);
    }

    /** A console with the default I/O settings ({@link IoSettings#DEFAULTS}). */
    public ConsoleConfig(Path dataDir, Listen agentListen, Listen httpListen, Duration sampleInterval,
                         int offlineAfterIntervals, int maxFrameBytes, Duration handshakeTimeout, StoreSettings store,
                         TlsProvider tlsProvider, int maxHandshakes, Duration shutdownSpread) {
        this(dataDir, agentListen, httpListen, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, store,
                tlsProvider, maxHandshakes, shutdownSpread, DEFAULT_ADMISSION_WAIT, IoSettings.DEFAULTS);
    }

    /** A console on the embedded SQLite store. */
    public ConsoleConfig(Path dataDir, Listen agentListen, Listen httpListen, Duration sampleInterval,
                         int offlineAfterIntervals, int maxFrameBytes, Duration handshakeTimeout) {
        this(dataDir, agentListen, httpListen, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout,
                StoreSettings.EMBEDDED);
    }

    public ConsoleConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(tlsProvider, "tlsProvider");
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(admissionWait, "admissionWait");
        Objects.requireNonNull(shutdownSpread, "shutdownSpread");
        Objects.requireNonNull(agentListen, "agentListen");
        Objects.requireNonNull(httpListen, "httpListen");
        if (sampleInterval.compareTo(Duration.ofSeconds(1)) < 0 || sampleInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("the sample interval must be from 1s to 1h, got " + Durations.format(sampleInterval));
        }
        if (offlineAfterIntervals < 2 || offlineAfterIntervals > 100) {
            throw new IllegalArgumentException("offlineAfterIntervals must be between 2 and 100, got " + offlineAfterIntervals);
        }
        if (maxFrameBytes < 1024 || maxFrameBytes > 64 << 20) {
            throw new IllegalArgumentException("maxFrameBytes must be between 1024 and 67108864, got " + maxFrameBytes);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("the handshake timeout must be positive, got " + Durations.format(handshakeTimeout));
        }
        if (maxHandshakes < 1 || maxHandshakes > 100_000) {
            throw new IllegalArgumentException("maxHandshakes must be between 1 and 100000, got " + maxHandshakes);
        }
        if (shutdownSpread.isNegative() || shutdownSpread.compareTo(Duration.ofMinutes(2)) > 0) {
            throw new IllegalArgumentException("the shutdown spread must be from 0s to 2m, got " + Durations.format(shutdownSpread));
        }
        if (admissionWait.isNegative() || admissionWait.compareTo(MAX_ADMISSION_WAIT) > 0) {
            throw new IllegalArgumentException("the admission wait must be from 0s to " + Durations.format(MAX_ADMISSION_WAIT) + ", got "
                    + Durations.format(admissionWait));
        }
    }

    /**
     * The built-in defaults: agents on every interface at 7443, HTTP on
     * loopback at 8080 (plain HTTP: expose it only through a TLS proxy).
     */
    public static ConsoleConfig defaults(Path dataDir) {
        return new ConsoleConfig(dataDir, new Listen("0.0.0.0", WireProtocol.DEFAULT_AGENT_PORT),
                new Listen("127.0.0.1", DEFAULT_HTTP_PORT), Duration.ofSeconds(10), 3,
                WireProtocol.DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(10));
    }

    /** How long an agent may be silent before it shows offline. */
    public Duration offlineAfter() {
        return sampleInterval.multipliedBy(offlineAfterIntervals);
    }

    public ConsoleConfig withDataDir(Path dir) {
        return new ConsoleConfig(dir, agentListen, httpListen, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, store, tlsProvider,
                maxHandshakes, shutdownSpread, admissionWait, io);
    }

    public ConsoleConfig withAgentListen(Listen l) {
        return new ConsoleConfig(dataDir, l, httpListen, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, store, tlsProvider,
                maxHandshakes, shutdownSpread, admissionWait, io);
    }

    public ConsoleConfig withHttpListen(Listen l) {
        return new ConsoleConfig(dataDir, agentListen, l, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, store, tlsProvider,
                maxHandshakes, shutdownSpread, admissionWait, io);
    }

    /** The same console on another store. */
    public ConsoleConfig withStore(StoreSettings s) {
        return new ConsoleConfig(dataDir, agentListen, httpListen, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, s, tlsProvider,
                maxHandshakes, shutdownSpread, admissionWait, io);
    }

    /** The same console with its agent port on another TLS provider. */
    public ConsoleConfig withTlsProvider(TlsProvider p) {
        return new ConsoleConfig(dataDir, agentListen, httpListen, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, store, p,
                maxHandshakes, shutdownSpread, admissionWait, io);
    }

    public ConsoleConfig withSampleInterval(Duration d) {
        return new ConsoleConfig(dataDir, agentListen, httpListen, d, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, store, tlsProvider,
                maxHandshakes, shutdownSpread, admissionWait, io);
    }

    /** The same console with other admission settings (handshakes at a time, the spread of agents' return after a stop). */
    public ConsoleConfig withAdmission(int handshakes, Duration spread) {
        return new ConsoleConfig(dataDir, agentListen, httpListen, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, store,
                tlsProvider, handshakes, spread, admissionWait, io);
    }

    /** The same console with another admission wait ({@link #DEFAULT_ADMISSION_WAIT}; zero refuses past the cap at once). */
    public ConsoleConfig withAdmissionWait(Duration wait) {
        return new ConsoleConfig(dataDir, agentListen, httpListen, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, store,
                tlsProvider, maxHandshakes, shutdownSpread, wait, io);
    }

    /** The same console with other I/O settings. */
    public ConsoleConfig withIo(IoSettings settings) {
        return new ConsoleConfig(dataDir, agentListen, httpListen, sampleInterval, offlineAfterIntervals, maxFrameBytes, handshakeTimeout, store,
                tlsProvider, maxHandshakes, shutdownSpread, admissionWait, settings);
    }
}

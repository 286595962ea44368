package io.firstline.simulator;

import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.enroll.Enroller;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.proto.HostFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Enrolled identities for simulated agents, kept in a directory so that a
 * fleet is enrolled once and reused: {@code DIR/sim-000001/} holds what a
 * real agent's state directory holds after {@code enroll} (key, certificate,
 * the console's CA), and {@code DIR/ca-fingerprint} names the one console
 * the pool belongs to. Each identity is a real enrollment with
 * the console (token, CSR, certificate over TLS), so the console knows every
 * simulated agent as it knows a real one; the console keeps one connection
 * per agent, so every simulated agent needs an identity of its own.
 */
final class AgentPool {
    /** Token, CA fingerprint and agent-port address from the console's {@code POST /api/tokens}. */
    record Grant(String token, String caFingerprint, ConsoleAddress agentPort) {
    }

    static final String FINGERPRINT_FILE = "ca-fingerprint";
    /** The console's agent port as its enrollment token said, for runs that do not enroll. */
    static final String ADDRESS_FILE = "agent-address";
    private final Path dir;

    AgentPool(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    static String agentId(int index) {
        return String.format(Locale.ROOT, "sim-%06d", index + 1);
    }

    /** How many leading identities (sim-000001 on) are enrolled already. */
    int enrolled() {
        int n = 0;
        while (Files.exists(dir.resolve(agentId(n)).resolve(AgentCredentials.CERT_FILE))) {
            n++;
        }
        return n;
    }

    /**
     * Enrolls identities {@code from} to {@code to - 1} with {@code grant},
     * {@code parallel} at a time; {@code progress} hears the count done.
     */
    void enroll(Grant grant, int from, int to, int parallel, IntConsumer progress) {
        Path file = dir.resolve(FINGERPRINT_FILE);
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                String known = Files.readString(file).trim();
                if (!known.equalsIgnoreCase(grant.caFingerprint())) {
                    throw new IllegalArgumentException("the pool " + dir + " belongs to the console with CA " + known
                            + ", not to this one (CA " + grant.caFingerprint() + "): give each console a pool directory of its own");
                }
            } else {
                Files.writeString(file, grant.caFingerprint() + "\n");
            }
            Files.writeString(dir.resolve(ADDRESS_FILE), grant.agentPort() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pool directory " + dir, e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String id = agentId(i);
                done.add(pool.submit(() -> {
                    new Enroller(Duration.ofSeconds(60)).enroll(grant.agentPort(), grant.token(), grant.caFingerprint(), id,
                            HostFacts.newBuilder().setHostname(id).build(), SimulatedAgent.VERSION, dir.resolve(id));
                    return null;
                }));
            }
            int count = 0;
            for (Future<?> f : done) {
                f.get();
                progress.accept(++count);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("enrollment failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while enrolling", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The agent port the pool was last enrolled through. */
    ConsoleAddress agentPort() {
        try {
            return ConsoleAddress.parse(Files.readString(dir.resolve(ADDRESS_FILE)).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(ADDRESS_FILE) + " (say --agent-address)", e);
        }
    }

    /** The first {@code count} identities; each must have been enrolled. */
    List<AgentCredentials> load(int count) {
        List<AgentCredentials> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Path d = dir.resolve(agentId(i));
            out.add(AgentCredentials.load(d).orElseThrow(() -> new IllegalStateException("no enrolled identity in " + d)));
        }
        return out;
    }
}

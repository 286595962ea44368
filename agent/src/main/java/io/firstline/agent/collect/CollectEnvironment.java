package io.firstline.agent.collect;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What some collectors need beyond OSHI: the DNS names to resolve, the
 * console addresses and the state of the link to the console
 * (connectivity), and the clock offset the link measured (time). {@link #NONE} is the environment of
 * {@code collect --once}, which has no console. {@code events} is the status of
 * the event sources, which only the running agent has.
 */
public record CollectEnvironment(List<String> dnsNames, List<Endpoint> consoles, LinkClock linkClock, BootCheck boot,
                                 EventStatus events) {
    /** No DNS names, no console, no link. */
    public static final CollectEnvironment NONE = new CollectEnvironment(List.of(), List.of(), LinkClock.NONE);

    public CollectEnvironment {
        dnsNames = List.copyOf(dnsNames);
        consoles = List.copyOf(consoles);
        Objects.requireNonNull(linkClock, "linkClock");
        Objects.requireNonNull(boot, "boot");
        Objects.requireNonNull(events, "events");
    }

    /** An environment without event sources. */
    public CollectEnvironment(List<String> dnsNames, List<Endpoint> consoles, LinkClock linkClock, BootCheck boot) {
        this(dnsNames, consoles, linkClock, boot, EventStatus.NONE);
    }

    /** An environment with no record of earlier boots. */
    public CollectEnvironment(List<String> dnsNames, List<Endpoint> consoles, LinkClock linkClock) {
        this(dnsNames, consoles, linkClock, BootCheck.NONE);
    }

    /** What the agent remembers of the machine's previous boot (the os collector's unexpected-reboot signal). */
    @FunctionalInterface
    public interface BootCheck {
        BootCheck NONE = bootTimeSeconds -> false;

        /** Whether the boot before the one that started at {@code bootTimeSeconds} ended with the agent still running. */
        boolean previousBootEndedUncleanly(long bootTimeSeconds);
    }

    /** A host and TCP port. */
    public record Endpoint(String host, int port) {
        public Endpoint {
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** What the agent link knows: whether it is up, its TCP connect time, and the clock offset. */
    public interface LinkClock {
        LinkClock NONE = () -> OptionalLong.empty();

        /** The console's clock minus ours in ms, if the link has measured it. */
        OptionalLong offsetMillis();

        /** Asks the link to measure again soon (a Heartbeat round trip); no-op by default. */
        default void remeasure() {
        }

        /** Whether a console has welcomed us on the current connection. */
        default boolean connected() {
            return false;
        }

        /** How long the TCP connect of the current (or last) connection took, in ms. */
        default OptionalDouble connectMillis() {
            return OptionalDouble.empty();
        }
    }
}

package io.firstline.console.net;

import io.firstline.wire.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How the console's event loops do I/O: the transport ({@code ioTransport}
 * in console.yaml) and how long the agent port's loops let socket readiness
 * gather before they handle it ({@code agent.ioCoalescing};
 * {@link CoalescingIoHandler}).
 */
public record IoSettings(IoTransport transport, Duration agentCoalescing) {
    /** At most 20 ms more on a sample's way to its ticket and ack, for a few samples per wake-up at a few hundred agents. */
    public static final Duration DEFAULT_AGENT_COALESCING = Duration.ofMillis(20);
    public static final Duration MAX_AGENT_COALESCING = Duration.ofMillis(200);
    public static final IoSettings DEFAULTS = new IoSettings(IoTransport.AUTO, DEFAULT_AGENT_COALESCING);

    public IoSettings {
        Objects.requireNonNull(transport, "transport");
        if (agentCoalescing.isNegative() || agentCoalescing.compareTo(MAX_AGENT_COALESCING) > 0) {
            throw new IllegalArgumentException("agent.ioCoalescing must be from 0s to " + Durations.format(MAX_AGENT_COALESCING) + ", got "
                    + Durations.format(agentCoalescing));
        }
    }

    public IoSettings withTransport(IoTransport t) {
        return new IoSettings(t, agentCoalescing);
    }
}

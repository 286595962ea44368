package io.firstline.console.net;

import io.firstline.wire.Durations;
import java.time.Duration;

/**
 * How the console's event loops do I/O: how long the agent port's loops let
 * socket readiness gather before they handle it ({@code agent.ioCoalescing}
 * in console.yaml; {@link CoalescingIoHandler}).
 */
public record IoSettings(Duration agentCoalescing) {
    /** At most 20 ms more on a sample's way to its ack and ticket, for several samples per wake-up. */
    public static final Duration DEFAULT_AGENT_COALESCING = Duration.ofMillis(20);
    public static final Duration MAX_AGENT_COALESCING = Duration.ofMillis(200);
    public static final IoSettings DEFAULTS = new IoSettings(DEFAULT_AGENT_COALESCING);

    public IoSettings {
        if (agentCoalescing.isNegative() || agentCoalescing.compareTo(MAX_AGENT_COALESCING) > 0) {
            throw new IllegalArgumentException("agent.ioCoalescing must be from 0s to " + Durations.format(MAX_AGENT_COALESCING) + ", got "
                    + Durations.format(agentCoalescing));
        }
    }
}

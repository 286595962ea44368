package io.firstline.console.tickets;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A fault raised or cleared, from an agent (sequenced: {@code bootEpoch} and
 * {@code sequence} identify it, so a replay is recognised) or from the
 * console's own rules ({@code sequence} 0: applied by state only).
 *
 * @param value     the value that decided it
 * @param threshold the threshold it crossed (raises)
 * @param since     when the condition began
 * @param at        when the transition happened
 * @param reason    for clears: "recovered", "no data", "rule removed", "quiet"
 * @param occurrences event rules: events seen since the raise (a raise with more than 1 is a repeat); 0 otherwise
 * @param details   event rules: the event's fields (process, pid, device, the kernel line)
 */
public record FaultEvent(FaultKey key, boolean raised, String metric, double value, double threshold, Instant since,
                         Instant at, String reason, long bootEpoch, long sequence, int occurrences, Map<String, String> details) {
    public FaultEvent(FaultKey key, boolean raised, String metric, double value, double threshold, Instant since, Instant at,
                      String reason, long bootEpoch, long sequence) {
        this(key, raised, metric, value, threshold, since, at, reason, bootEpoch, sequence, 0, Map.of());
    }

    public FaultEvent {
        details = Map.copyOf(details);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        since = since == null ? at : since;
        metric = metric == null ? "" : metric;
        reason = reason == null ? "" : reason;
    }
}

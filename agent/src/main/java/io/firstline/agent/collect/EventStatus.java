package io.firstline.agent.collect;

import java.util.Map;
import java.util.Optional;

/**
 * What the agent's event sources (kernel log, mount table, link state;
 * {@code io.firstline.agent.events}) report through the collectors of the
 * same names: whether each listens to the kernel or fell back to polling,
 * and its counters.
 */
public interface EventStatus {
    /** No event sources: {@code collect --once}, or not Linux. */
    EventStatus NONE = source -> Optional.of("event sources run only in the running agent ('run'); nothing to listen to here");

    /** Empty when {@code source} listens to the kernel; otherwise why it fell back to polling, or is off. */
    Optional<String> fallback(String source);

    /** Running totals of {@code source} (events, drops), as metric name to value. */
    default Map<String, Double> counters(String source) {
        return Map.of();
    }
}

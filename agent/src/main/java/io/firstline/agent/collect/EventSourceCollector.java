package io.firstline.agent.collect;

import java.util.Map;
import java.util.Optional;

/**
 * Reports one event source in every sample: its counters when it listens to
 * the kernel, or, once as "unsupported" with the reason, that it fell back
 * to polling (as every collector reports what the platform cannot give).
 */
final class EventSourceCollector implements Collector {
    private final String source;
    private final EventStatus status;

    EventSourceCollector(String source, HostProbe probe) {
        this.source = source;
        this.status = probe.environment().events();
    }

    @Override
    public void collect(MetricWriter out) {
        Optional<String> fallback = status.fallback(source);
        if (fallback.isPresent()) {
            throw new UnsupportedOperationException(fallback.get());
        }
        for (Map.Entry<String, Double> c : status.counters(source).entrySet()) {
            out.value(c.getKey(), c.getValue());
        }
    }
}

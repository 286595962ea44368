package io.firstline.agent.collect;

import java.util.OptionalLong;

/**
 * How far the local clock is from the console's, as the link measured it
 * from Heartbeat round trips (console minus agent, in ms). Each run asks the
 * link to measure again, so the next run has a fresh figure. Without a link
 * ({@code collect --once}) there is nothing to compare with: unsupported.
 */
final class TimeCollector implements Collector {
    private final CollectEnvironment.LinkClock clock;

    TimeCollector(HostProbe probe) {
        this.clock = probe.environment().linkClock();
    }

    @Override
    public void collect(MetricWriter out) {
        if (clock == CollectEnvironment.LinkClock.NONE) {
            throw new UnsupportedOperationException("no console link; the offset is measured on the link");
        }
        OptionalLong offset = clock.offsetMillis();
        clock.remeasure();
        out.value("time.measured", offset.isPresent() ? 1 : 0);
        if (offset.isPresent()) {
            out.value("time.offset_ms", offset.getAsLong());
        }
    }
}

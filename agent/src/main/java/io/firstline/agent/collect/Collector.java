package io.firstline.agent.collect;

/**
 * One source of endpoint health. An implementation reads its part of the
 * system and writes what it saw to {@code out}; it keeps whatever state it
 * needs between cycles (previous counters, OSHI objects) in its own fields.
 *
 * <p>Throwing is allowed and is data, not a crash: the runner marks the
 * collector failed for this cycle and drops its partial values. Throw
 * {@link UnsupportedOperationException} when the platform cannot provide the
 * data at all; the runner then reports "unsupported" and logs it once.
 */
@FunctionalInterface
public interface Collector {
    void collect(MetricWriter out) throws Exception;
}

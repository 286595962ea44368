package io.firstline.agent.events;

/** Where the watchers hand a changed state signal: a value of a metric for a resource, as a collector would write it. */
@FunctionalInterface
interface Readings {
    void reading(String metric, String resource, double value);
}

package io.firstline.agent.collect;

/** Where a {@link Collector} writes what it saw in one cycle. */
public interface MetricWriter {
    /**
     * A numeric value of {@code metric} for {@code resource} (empty for the
     * host as a whole). Values that are NaN or infinite (a reading the
     * platform could not give) are dropped.
     */
    void value(String metric, String resource, double value);

    /** A text value, e.g. a file system's type. Null or blank text is dropped. */
    void text(String metric, String resource, String text);

    default void value(String metric, double value) {
        value(metric, "", value);
    }
}

package io.firstline.agent.collect;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A collector as the registry knows it: its name (used in configuration and
 * in every sample), whether it runs unless configured otherwise, how often it
 * runs by default ({@link Duration#ZERO}: every sample), and how to make it.
 */
public record Registration(String name, boolean enabledByDefault, Duration every, Function<HostProbe, Collector> factory) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public Registration {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(every, "every");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("collector name must match " + NAME + ": " + name);
        }
        if (every.isNegative()) {
            throw new IllegalArgumentException("collector interval must not be negative: " + every);
        }
    }

    /** A collector that runs every sample. */
    public Registration(String name, boolean enabledByDefault, Function<HostProbe, Collector> factory) {
        this(name, enabledByDefault, Duration.ZERO, factory);
    }

    /** The same collector on another schedule. */
    public Registration every(Duration interval) {
        return new Registration(name, enabledByDefault, interval, factory);
    }
}

package io.firstline.agent.collect;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A collector as the registry knows it: its name (used in configuration and
 * in every sample), whether it runs unless configured otherwise, and how to
 * make it.
 */
public record Registration(String name, boolean enabledByDefault, Function<HostProbe, Collector> factory) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public Registration {
        Objects.requireNonNull(factory, "factory");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("collector name must match " + NAME + ": " + name);
        }
    }
}

package io.firstline.console.notify;

import java.util.regex.Pattern;

/** The one rule for target names, shared by every kind of target. */
final class TargetNames {
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    private TargetNames() {
    }

    static void check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("target name must match " + NAME + ": " + name);
        }
    }
}

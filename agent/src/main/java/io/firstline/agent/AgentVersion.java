package io.firstline.agent;

import io.firstline.cli.BuildVersion;

/** The agent's version: the build's, which both command lines share ({@link BuildVersion}). */
public final class AgentVersion {
    private AgentVersion() {
    }

    public static String get() {
        return BuildVersion.get();
    }
}

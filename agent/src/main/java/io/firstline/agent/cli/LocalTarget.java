package io.firstline.agent.cli;

import io.firstline.agent.voice.LocalSocket;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How {@code report} and {@code status} find the running agent (a picocli mixin). */
final class LocalTarget {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The state directory of the agent to talk to (its socket is DIR/agent.sock). Without it, the installed"
                    + " agent at " + LocalSocket.INSTALLED + ".")
    Path stateDir;

    @Option(names = "--socket", paramLabel = "PATH", description = "The agent's local socket, if it was started with --local-socket.")
    Path socket;

    Path socket() {
        if (socket != null) {
            return socket;
        }
        return stateDir != null ? LocalSocket.forStateDir(stateDir) : Path.of(LocalSocket.INSTALLED);
    }
}

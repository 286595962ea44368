package io.firstline.agent.cli;

import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.config.AgentConfig;
import io.firstline.agent.enroll.NotEnrolledException;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.agent.voice.LocalServer;
import io.firstline.agent.voice.LocalSocket;
import io.firstline.cli.CliSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code firstline-agent run}: collect and stream until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Collect health every interval and stream it to the console until stopped (needs an enrolled state directory).")
public final class RunCommand implements Runnable {

    @Option(names = "--console", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Console agent-link address(es), tried in order on failure. Default port 7443.")
    String consoles;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.firstline-agent",
            description = "Where the agent keeps its identity (default: ${DEFAULT-VALUE}; /var/lib/firstline when installed).")
    Path stateDir;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s",
            description = "Sample interval until the console sets one (default: ${DEFAULT-VALUE}).")
    Duration interval;



    @Option(names = "--local-socket", paramLabel = "PATH",
            description = "Unix socket for 'report' and 'status' (default: STATE_DIR/agent.sock; the installed unit uses "
                    + io.firstline.agent.voice.LocalSocket.INSTALLED + ").")
    Path localSocket;

    @Option(names = "--local-socket-mode", paramLabel = "MODE", defaultValue = "0666",
            description = "Who may connect to the local socket, as an octal file mode (default: ${DEFAULT-VALUE}, every local user;"
                    + " 0660 limits it to the agent's group).")
    String localSocketMode;

    @Mixin
    CollectorOptions collectors;

    @Override
    public void run() {
        List<ConsoleAddress> addresses = ConsoleAddress.parseList(consoles);
        if (!Files.isDirectory(stateDir)) {
            throw new CliSupport.UserError("state directory " + stateDir + " does not exist; run 'firstline-agent enroll"
                    + " --console HOST:7443 --token-file FILE --ca-fingerprint SHA256 --state-dir " + stateDir + "' first",
                    CliSupport.USAGE);
        }
        AgentConfig cfg = collectors.load();
        AgentRuntime.Settings settings = new AgentRuntime.Settings(addresses, stateDir, interval,
                CollectorRegistry.builtIn().select(cfg.enable(), cfg.disable(), cfg.intervals()));
        AgentRuntime agent;
        try {
            LocalServer.Settings local = LocalServer.Settings.at(localSocket != null ? localSocket : LocalSocket.forStateDir(stateDir))
                    .withMode(mode(localSocketMode));
            agent = AgentRuntime.start(settings, cfg, local);
        } catch (NotEnrolledException | IllegalStateException e) {
            throw new CliSupport.UserError(e.getMessage());
        }
        CliSupport.awaitShutdown(agent);
    }

    /** An octal mode such as 0666 or 660 as permissions (read and write bits only matter for a socket). */
    static Set<PosixFilePermission> mode(String octal) {
        int m;
        try {
            m = Integer.parseInt(octal, 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--local-socket-mode must be an octal mode such as 0666 or 0660, got '" + octal + "'");
        }
        if (m < 0 || m > 0777) {
            throw new IllegalArgumentException("--local-socket-mode must be between 0000 and 0777, got '" + octal + "'");
        }
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < 9; i++) {
            if ((m & (0400 >> i)) != 0) {
                out.add(bits[i]);
            }
        }
        return out;
    }
}

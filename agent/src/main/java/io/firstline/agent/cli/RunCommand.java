package io.firstline.agent.cli;

import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.config.AgentConfig;
import io.firstline.agent.enroll.NotEnrolledException;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.agent.voice.LocalServer;
import io.firstline.agent.voice.LocalSocket;
import io.firstline.cli.CliSupport;
import io.firstline.wire.Durations;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code firstline-agent run}: collect and stream until stopped. Parsed by
 * {@link Options}, not picocli, because this is the process that stays up.
 */
public final class RunCommand {
    public static final String NAME = "run";
    public static final String DESCRIPTION =
            "Collect health every interval and stream it to the console until stopped (needs an enrolled state directory).";
    private static final String COMMAND = "firstline-agent " + NAME;

    static final Options OPTIONS = new Options(COMMAND, DESCRIPTION, List.of(
            Options.Option.of("--console", "HOST:PORT[,HOST:PORT...]",
                    "Console agent-link address(es), tried in order on failure. Default port 7443.").asRequired(),
            Options.Option.of("--state-dir", "DIR",
                    "Where the agent keeps its identity (/var/lib/firstline when installed).")
                    .withDefault(System.getProperty("user.home") + "/.firstline-agent"),
            Options.Option.of("--interval", "DURATION", "Sample interval until the console sets one.").withDefault("10s"),
            Options.Option.of("--local-socket", "PATH", "Unix socket for 'report' and 'status' (default: STATE_DIR/agent.sock;"
                    + " the installed unit uses " + LocalSocket.INSTALLED + ")."),
            Options.Option.of("--local-socket-mode", "MODE", "Who may connect to the local socket, as an octal file mode"
                    + " (0666: every local user; 0660 limits it to the agent's group).").withDefault("0666"),
            Options.Option.of("--enable", "COLLECTOR", "Collectors to add to the defaults.").asRepeatable(),
            Options.Option.of("--disable", "COLLECTOR", "Collectors to leave out.").asRepeatable(),
            Options.Option.of("--config", "FILE",
                    "Agent configuration (collectors, their intervals, DNS names to check); see docs/collectors.md.")));

    private RunCommand() {
    }

    /**
     * Runs {@code firstline-agent run ARGS} until the JVM is asked to stop.
     * Bad input is one line on stderr and exit code 2; a failure the user
     * can act on (not enrolled) one line and exit code 1.
     */
    public static int execute(String... args) {
        PrintStream err = System.err;
        Options.Parsed parsed;
        try {
            parsed = OPTIONS.parse(args);
        } catch (Options.BadInput e) {
            err.println(COMMAND + ": " + e.getMessage() + " (see '" + COMMAND + " --help')");
            return CliSupport.USAGE;
        }
        if (parsed.help()) {
            System.out.print(OPTIONS.usage());
            return 0;
        }
        try {
            run(parsed);
            return 0;
        } catch (CliSupport.UserError e) {
            err.println(COMMAND + ": " + e.getMessage());
            return e.exitCode();
        } catch (IllegalArgumentException e) {
            err.println(COMMAND + ": " + e.getMessage());
            return CliSupport.USAGE;
        }
    }

    private static void run(Options.Parsed p) {
        Duration interval;
        try {
            interval = Durations.parse(p.get("--interval"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for option '--interval': " + e.getMessage());
        }
        List<ConsoleAddress> addresses = ConsoleAddress.parseList(p.get("--console"));
        Path stateDir = CliSupport.userPath(p.get("--state-dir"));
        if (!Files.isDirectory(stateDir)) {
            throw new CliSupport.UserError("state directory " + stateDir + " does not exist; run 'firstline-agent enroll"
                    + " --console HOST:7443 --token-file FILE --ca-fingerprint SHA256 --state-dir " + stateDir + "' first",
                    CliSupport.USAGE);
        }
        CollectorOptions collectors = new CollectorOptions();
        collectors.enable = p.all("--enable");
        collectors.disable = p.all("--disable");
        collectors.config = p.get("--config") == null ? null : CliSupport.userPath(p.get("--config"));
        AgentConfig cfg = collectors.load();
        AgentRuntime.Settings settings = new AgentRuntime.Settings(addresses, stateDir, interval,
                CollectorRegistry.builtIn().select(cfg.enable(), cfg.disable(), cfg.intervals()));
        String socket = p.get("--local-socket");
        AgentRuntime agent;
        try {
            LocalServer.Settings local = LocalServer.Settings.at(socket != null ? CliSupport.userPath(socket) : LocalSocket.forStateDir(stateDir))
                    .withMode(mode(p.get("--local-socket-mode")));
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

package io.firstline.console.cli;

import io.firstline.cli.CliSupport;
import io.firstline.console.Console;
import io.firstline.console.config.ConfigLoader;
import io.firstline.console.config.ConsoleConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code firstline-console serve}: the production entry point. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the console until stopped (SIGTERM or Ctrl-C).")
public final class ServeCommand implements Runnable {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (see README); built-in defaults if absent.")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (overrides the file's dataDir).")
    Path data;

    @Option(names = "--http-port", paramLabel = "PORT", converter = CliSupport.PortConverter.class, description = "HTTP port (overrides the file; default 8080).")
    Integer httpPort;

    @Option(names = "--agent-port", paramLabel = "PORT", converter = CliSupport.PortConverter.class, description = "Agent-link port (overrides the file; default 7443).")
    Integer agentPort;

    @Override
    public void run() {
        ConsoleConfig c = config != null ? load(config) : ConsoleConfig.defaults(Path.of("/var/lib/firstline-console"));
        if (data != null) {
            c = c.withDataDir(data);
        }
        if (httpPort != null) {
            c = c.withHttpListen(new ConsoleConfig.Listen(c.httpListen().bind(), httpPort));
        }
        if (agentPort != null) {
            c = c.withAgentListen(new ConsoleConfig.Listen(c.agentListen().bind(), agentPort));
        }
        Console console = Console.start(c);
        CliSupport.awaitShutdown(console);
    }

    private static ConsoleConfig load(Path file) {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigLoader.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}

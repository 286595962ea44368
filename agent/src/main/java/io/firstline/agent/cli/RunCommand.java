package io.firstline.agent.cli;

import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.config.AgentConfig;
import io.firstline.agent.enroll.NotEnrolledException;
import io.firstline.agent.link.ConsoleAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
            agent = AgentRuntime.start(settings, cfg);
        } catch (NotEnrolledException | IllegalStateException e) {
            throw new CliSupport.UserError(e.getMessage());
        }
        CliSupport.awaitShutdown(agent);
    }
}

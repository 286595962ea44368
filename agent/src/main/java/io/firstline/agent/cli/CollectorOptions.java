package io.firstline.agent.cli;

import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.config.AgentConfig;
import io.firstline.agent.config.AgentConfigLoader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options that choose collectors, shared by {@code collect} (a picocli mixin) and {@code run} (filled in by {@link RunCommand}). */
final class CollectorOptions {
    @Option(names = "--enable", split = ",", paramLabel = "COLLECTOR", description = "Collectors to add to the defaults.")
    List<String> enable = List.of();

    @Option(names = "--disable", split = ",", paramLabel = "COLLECTOR", description = "Collectors to leave out.")
    List<String> disable = List.of();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Agent configuration (collectors, their intervals, DNS names to check); see docs/collectors.md.")
    Path config;

    /**
     * The configuration file (if any) with the command line's --enable and
     * --disable on top; an unknown collector or a bad interval is a usage error.
     */
    AgentConfig load() {
        AgentConfigLoader loader = new AgentConfigLoader(CollectorRegistry.builtIn());
        AgentConfig base = config == null ? AgentConfig.defaults() : loader.load(config);
        Set<String> on = new HashSet<>(base.enable());
        Set<String> off = new HashSet<>(base.disable());
        on.addAll(enable);
        off.addAll(disable);
        on.removeAll(disable);
        off.removeAll(enable);
        CollectorRegistry.builtIn().select(on, off); // names unknown collectors given on the command line
        return new AgentConfig(on, off, base.intervals(), base.dnsNames(), base.inventoryInterval(), base.kernelPatterns(),
                base.diagnostics());
    }
}

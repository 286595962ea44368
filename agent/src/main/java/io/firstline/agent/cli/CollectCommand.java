package io.firstline.agent.cli;

import io.firstline.agent.AgentVersion;
import io.firstline.agent.collect.CollectEnvironment;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.collect.CollectorRunner;
import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.collect.InventoryReader;
import io.firstline.agent.collect.Snapshot;
import io.firstline.agent.config.AgentConfig;
import io.firstline.agent.config.AgentConfigLoader;
import io.firstline.agent.encode.HostFactsReader;
import io.firstline.agent.encode.SnapshotJson;
import io.firstline.agent.encode.SnapshotTable;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code firstline-agent collect}: one snapshot of every enabled collector,
 * plus the inventory, to stdout; no console needed. Every collector runs,
 * whatever its schedule in the agent.
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = "Collect one snapshot of this machine's health and inventory and print it.")
public final class CollectCommand implements Runnable {

    @Option(names = "--once", description = "Collect once and exit (the only mode for now; kept for scripts).")
    boolean once;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--over", paramLabel = "DURATION", defaultValue = "1s",
            description = "Time over which rates (CPU shares, bytes per second) are measured (default: ${DEFAULT-VALUE}).")
    Duration over;

    @Option(names = "--no-inventory", negatable = false, description = "Leave the inventory out.")
    boolean noInventory;



    @Mixin
    CollectorOptions collectors;

    @Override
    public void run() {
        if (over.isNegative() || over.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("--over must be between 0s and 1m, got " + over);
        }
        AgentConfig cfg = collectors.load();
        HostProbe probe = new HostProbe(new CollectEnvironment(cfg.dnsNames(), List.of(), CollectEnvironment.LinkClock.NONE));
        CollectorRunner runner = new CollectorRunner(
                CollectorRegistry.everyCycle(CollectorRegistry.builtIn().select(cfg.enable(), cfg.disable())), probe, Clock.systemUTC());
        runner.collect(); // the base for rates
        try {
            Thread.sleep(over.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Snapshot snapshot = runner.collect();
        List<InventoryReader.Item> inventory = noInventory ? List.of() : new InventoryReader(probe, AgentVersion.get()).read();
        PrintStream out = System.out;
        if (json) {
            out.println(SnapshotJson.write(HostFactsReader.read(probe), snapshot, inventory));
        } else {
            out.print(SnapshotTable.render(HostFactsReader.read(probe), snapshot, inventory, ZoneId.systemDefault()));
        }
        out.flush();
    }

}

package io.firstline.agent.cli;

import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.collect.CollectorRunner;
import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.collect.Snapshot;
import io.firstline.agent.encode.HostFactsReader;
import io.firstline.agent.encode.SnapshotJson;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code firstline-agent collect}: one snapshot to stdout, no console needed. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = "Collect one snapshot of this machine's health and print it.")
public final class CollectCommand implements Runnable {

    @Option(names = "--once", description = "Collect once and exit (the only mode for now; kept for scripts).")
    boolean once;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--over", paramLabel = "DURATION", defaultValue = "1s",
            description = "Time over which rates (CPU shares, bytes per second) are measured (default: ${DEFAULT-VALUE}).")
    Duration over;

    @Option(names = "--enable", split = ",", paramLabel = "COLLECTOR", description = "Collectors to add to the defaults.")
    List<String> enable = List.of();

    @Option(names = "--disable", split = ",", paramLabel = "COLLECTOR", description = "Collectors to leave out.")
    List<String> disable = List.of();

    @Override
    public void run() {
        if (over.isNegative() || over.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("--over must be between 0s and 1m, got " + over);
        }
        HostProbe probe = new HostProbe();
        CollectorRunner runner = new CollectorRunner(CollectorRegistry.builtIn().select(enable, disable), probe, Clock.systemUTC());
        runner.collect(); // the base for rates
        try {
            Thread.sleep(over.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Snapshot snapshot = runner.collect();
        PrintStream out = System.out;
        if (json) {
            out.println(SnapshotJson.write(HostFactsReader.read(probe), snapshot));
        } else {
            out.print(SnapshotJson.table(HostFactsReader.read(probe), snapshot));
        }
        out.flush();
    }
}

package io.firstline.console;

import io.firstline.cli.BuildVersion;
import io.firstline.cli.CliSupport;
import io.firstline.console.cli.AgentCommand;
import io.firstline.console.cli.ApiTokenCommand;
import io.firstline.console.cli.DemoCommand;
import io.firstline.console.cli.MigrateStoreCommand;
import io.firstline.console.cli.TokenCommand;
import io.firstline.console.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code firstline-console}: the command line of the console. */
@Command(name = "firstline-console", mixinStandardHelpOptions = true, versionProvider = ConsoleMain.Version.class,
        description = "The Firstline console: receives agent streams, keeps the fleet view, serves the API and metrics.",
        subcommands = {ServeCommand.class, DemoCommand.class, TokenCommand.class, AgentCommand.class, ApiTokenCommand.class,
                MigrateStoreCommand.class})
public final class ConsoleMain implements Runnable {

    public static void main(String[] args) {
        System.exit(CliSupport.execute(new ConsoleMain(), args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"firstline-console " + BuildVersion.get()};
        }
    }
}

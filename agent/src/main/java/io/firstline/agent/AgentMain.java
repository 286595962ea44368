package io.firstline.agent;

import io.firstline.cli.CliSupport;
import io.firstline.agent.cli.CollectCommand;
import io.firstline.agent.cli.EnrollCommand;
import io.firstline.agent.cli.ReportCommand;
import io.firstline.agent.cli.RunCommand;
import io.firstline.agent.cli.StatusCommand;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code firstline-agent}: the command line of the endpoint agent. {@code run}
 * is parsed by its own small parser and never loads picocli (it is the
 * process that stays up; see {@link RunCommand}); the short-lived commands
 * and the top-level help and version go through picocli.
 */
@Command(name = "firstline-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Watches this machine's health and streams it to a Firstline console.")
public final class AgentMain implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code (0 ok, 1 failure, 2 bad input). */
    public static int execute(String... args) {
        if (args.length > 0 && args[0].equals(RunCommand.NAME)) {
            return RunCommand.execute(Arrays.copyOfRange(args, 1, args.length));
        }
        return CliSupport.execute(commandLine(), args);
    }

    /** The picocli command line of every command; {@code run} is listed for the help but dispatched before it. */
    static CommandLine commandLine() {
        CommandSpec run = CommandSpec.create();
        run.usageMessage().description(RunCommand.DESCRIPTION);
        return new CommandLine(new AgentMain())
                .addSubcommand(RunCommand.NAME, run)
                .addSubcommand(new EnrollCommand())
                .addSubcommand(new CollectCommand())
                .addSubcommand(new ReportCommand())
                .addSubcommand(new StatusCommand());
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"firstline-agent " + AgentVersion.get()};
        }
    }
}

package io.firstline.agent;

import io.firstline.cli.CliSupport;
import io.firstline.agent.cli.CollectCommand;
import io.firstline.agent.cli.EnrollCommand;
import io.firstline.agent.cli.ReportCommand;
import io.firstline.agent.cli.RunCommand;
import io.firstline.agent.cli.StatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code firstline-agent}: the command line of the endpoint agent. */
@Command(name = "firstline-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Watches this machine's health and streams it to a Firstline console.",
        subcommands = {RunCommand.class, EnrollCommand.class, CollectCommand.class, ReportCommand.class, StatusCommand.class})
public final class AgentMain implements Runnable {

    public static void main(String[] args) {
        System.exit(CliSupport.execute(new AgentMain(), args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"firstline-agent " + AgentVersion.get()};
        }
    }
}

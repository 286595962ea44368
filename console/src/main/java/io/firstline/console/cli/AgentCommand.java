package io.firstline.console.cli;

import io.firstline.cli.CliSupport.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code firstline-console agent revoke ID}: agents' enrollment. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Manage enrolled agents.",
        subcommands = {AgentCommand.Revoke.class})
public final class AgentCommand implements Runnable {
    @Override
    public void run() {
        throw new IllegalArgumentException("say what to do: agent revoke ID");
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an agent: its certificates are refused at the next handshake; a running console closes its connection within 15 s.")
    static final class Revoke implements Runnable {
        @Mixin
        TokenCommand.Options options = new TokenCommand.Options();

        @Parameters(paramLabel = "ID", description = "The agent's id.")
        String id;

        @Override
        public void run() {
            try (AdminContext c = AdminContext.open(options.admin)) {
                if (!c.enrollment.revokeAgent(id, AdminContext.actor())) {
                    throw new UserError("no enrolled, unrevoked agent " + id);
                }
                System.out.println("revoked agent " + id);
            }
        }
    }
}

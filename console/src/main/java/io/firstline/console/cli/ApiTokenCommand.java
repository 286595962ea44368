package io.firstline.console.cli;

import io.firstline.cli.CliSupport.UserError;
import io.firstline.console.auth.Accounts;
import io.firstline.console.auth.Passwords;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code firstline-console api-token create --user NAME}: an API token for
 * scripts, printed alone on standard output ({@code TOKEN=$(... api-token create --user ops)}),
 * made on whichever store the console uses and audited like one made in the web console.
 */
@Command(name = "api-token", mixinStandardHelpOptions = true, description = "Create API tokens for scripts.",
        subcommands = {ApiTokenCommand.Create.class})
public final class ApiTokenCommand implements Runnable {
    @Override
    public void run() {
        throw new IllegalArgumentException("say what to do: api-token create --user NAME");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API token for a user and print it alone on standard output (it is shown only once).")
    static final class Create implements Runnable {
        @Mixin
        TokenCommand.Options options = new TokenCommand.Options();

        @Option(names = "--user", required = true, paramLabel = "NAME", description = "The user the token acts as (its role applies).")
        String user;

        @Option(names = "--name", paramLabel = "LABEL", defaultValue = "cli", description = "A label shown in token lists (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--ttl", paramLabel = "DURATION", description = "How long the token is valid (default: until revoked).")
        Duration ttl;

        @Override
        public void run() {
            if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
                throw new UserError("--ttl must be positive, got " + ttl);
            }
            if (name.isBlank() || name.length() > 100) {
                throw new UserError("--name must be 1 to 100 characters");
            }
            try (AdminContext c = AdminContext.open(options.admin)) {
                Accounts accounts = new Accounts(c.store, Clock.systemUTC(), new Passwords(Passwords.DEFAULT_ITERATIONS));
                if (accounts.users().find(user).isEmpty()) {
                    throw new UserError("no user " + user + " (users are made in the web console's admin page)");
                }
                Accounts.NewApiToken t = accounts.createApiToken(user, name, ttl);
                accounts.audit().record(AdminContext.actor(), "api-token.create", user, "ok id=" + t.id(), "cli");
                System.out.println(t.secret());
            }
        }
    }
}

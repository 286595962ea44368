package io.firstline.console.cli;

import io.firstline.cli.CliSupport.UserError;
import io.firstline.console.enroll.TokenInfo;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code firstline-console token create|list|revoke}: enrollment tokens. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke agent enrollment tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Runnable {
    @Override
    public void run() {
        throw new IllegalArgumentException("say what to do: token create, token list or token revoke");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token; prints it (once) and the console CA fingerprint agents must pin.")
    static final class Create implements Runnable {
        @Mixin
        Options options = new Options();

        @Option(names = "--site", required = true, paramLabel = "SITE", description = "The site enrolled agents belong to.")
        String site;

        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "24h", description = "How long the token is valid (default: ${DEFAULT-VALUE}).")
        Duration ttl;

        @Option(names = "--max-uses", paramLabel = "N", defaultValue = "1", description = "How many agents may enroll with it (default: ${DEFAULT-VALUE}).")
        int maxUses;

        @Override
        public void run() {
            try (AdminContext c = AdminContext.open(options.admin)) {
                TokenInfo t = c.enrollment.createToken(site, ttl, maxUses, AdminContext.actor());
                PrintStream out = System.out;
                out.println("token:          " + t.secret());
                out.println("id:             " + t.id());
                out.println("site:           " + t.site());
                out.println("expires:        " + t.expiresAt());
                out.println("max uses:       " + t.maxUses());
                out.println("CA fingerprint: " + c.enrollment.caFingerprint());
                out.println("Enroll an agent: save the token in a file (mode 0600), then run");
                out.println("  firstline-agent enroll --console HOST:7443 --token-file FILE --ca-fingerprint " + c.enrollment.caFingerprint());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    static final class ListTokens implements Runnable {
        @Mixin
        Options options = new Options();

        @Override
        public void run() {
            try (AdminContext c = AdminContext.open(options.admin)) {
                List<TokenInfo> all = c.enrollment.tokens();
                Instant now = Clock.systemUTC().instant();
                System.out.printf("%-14s %-20s %-8s %-9s %-24s %s%n", "ID", "SITE", "USES", "STATE", "EXPIRES", "CREATED BY");
                for (TokenInfo t : all) {
                    System.out.printf("%-14s %-20s %-8s %-9s %-24s %s%n", t.id(), t.site(), t.uses() + "/" + t.maxUses(),
                            t.state(now), t.expiresAt(), t.createdBy());
                }
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token so no more agents enroll with it.")
    static final class Revoke implements Runnable {
        @Mixin
        Options options = new Options();

        @Parameters(paramLabel = "ID", description = "The token's id (tok_...), as 'token list' shows it.")
        String id;

        @Override
        public void run() {
            try (AdminContext c = AdminContext.open(options.admin)) {
                if (!c.enrollment.revokeToken(id, AdminContext.actor())) {
                    throw new UserError("no active token " + id);
                }
                System.out.println("revoked token " + id);
            }
        }
    }

    /** Picocli mixin carrying the shared data-directory options. */
    static final class Options {
        @Mixin
        AdminContext.Options admin = new AdminContext.Options();
    }
}

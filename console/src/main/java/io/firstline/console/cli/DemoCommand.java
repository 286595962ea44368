package io.firstline.console.cli;

import io.firstline.agent.AgentIdentity;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.AgentVersion;
import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.encode.HostFactsReader;
import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.enroll.Enroller;
import io.firstline.files.PrivateFiles;
import io.firstline.console.enroll.TokenInfo;
import io.firstline.cli.CliSupport;
import io.firstline.cli.CliSupport.UserError;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.auth.Accounts;
import io.firstline.console.auth.Secrets;
import io.firstline.console.config.ConsoleConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code firstline-console demo}: a console on loopback plus one real agent
 * of this machine, connected over the real agent link.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a console on loopback with one real local agent, until Ctrl-C.")
public final class DemoCommand implements Runnable {

    @Option(names = "--http-port", paramLabel = "PORT", converter = CliSupport.PortConverter.class, defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--agent-port", paramLabel = "PORT", converter = CliSupport.PortConverter.class, defaultValue = "7443", description = "Agent-link port (default: ${DEFAULT-VALUE}).")
    int agentPort;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: a new temporary directory).")
    Path data;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s",
            description = "Sample interval of the demo (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    public void run() {
        Path dir = dataDir();
        ConsoleConfig config = ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", agentPort))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", httpPort))
                .withSampleInterval(interval);
        Console console = Console.start(config);
        AgentRuntime agent;
        try {
            ConsoleAddress address = new ConsoleAddress("127.0.0.1", console.agentPort());
            enrollLocalAgent(console, address, dir.resolve("agent"));
            agent = AgentRuntime.start(new AgentRuntime.Settings(List.of(address), dir.resolve("agent"), interval,
                    CollectorRegistry.builtIn().select(Set.of(), Set.of())));
        } catch (RuntimeException e) {
            console.close();
            throw e;
        }
        String base = "http://127.0.0.1:" + console.httpPort();
        String password;
        try {
            password = demoLogin(console, dir);
        } catch (RuntimeException e) {
            agent.close();
            console.close();
            throw e;
        }
        PrintStream out = System.out;
        out.println();
        out.println("Firstline demo is running: a console and one agent of this machine.");
        out.println("  Console:   " + base + "/");
        out.println("  Login:     admin / " + password + "   (also in " + dir.resolve(ADMIN_LOGIN) + ")");
        out.println("  API token: in " + dir.resolve(API_TOKEN) + "   (curl -H \"Authorization: Bearer $(cat "
                + dir.resolve(API_TOKEN) + ")\" " + base + "/api/agents)");
        out.println("  Agents:    " + base + "/api/agents");
        out.println("  Metrics:   " + base + "/metrics");
        out.println("  Agent id:  " + agent.agentId());
        out.println("  Data:      " + dir);
        String cli = agentCommand();
        Path stateDir = dir.resolve("agent");
        out.println("Report a problem as this machine's user, then answer it from the ticket desk (" + base + "/tickets):");
        out.println("  " + cli + " report --state-dir " + stateDir + " \"my screen froze\"");
        out.println("  " + cli + " status --state-dir " + stateDir);
        if (agent.localSocket().isEmpty()) {
            out.println("  (the agent's local socket could not be made; see the log above)");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        CliSupport.awaitShutdown(agent, console);
    }

    /**
     * How to run the agent's command line here: the agent jar next to this
     * console jar in a source tree, else the installed {@code firstline-agent}.
     */
    static String agentCommand() {
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path agentJar = jar.toAbsolutePath().getParent().resolve("../../agent/target/firstline-agent.jar").normalize();
            if (Files.isRegularFile(agentJar)) {
                return "java -jar " + agentJar;
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through to the installed command
        }
        return "firstline-agent";
    }

    /** File with the demo's admin login, {@code user password} on one line (PRODUCT.md). */
    public static final String ADMIN_LOGIN = "admin-login";
    /** File with an API token of the demo's admin. */
    public static final String API_TOKEN = "api-token";

    /**
     * Writes the demo admin's login and a fresh API token for scripts (mode
     * 0600) and returns the password: the first start's password, or on a
     * reused data directory a fresh one. The printed login is for immediate
     * use, so it is not one-time (no forced change). The token replaces the
     * previous demo start's, which stops working.
     */
    public static String demoLogin(Console console, Path dir) {
        Accounts accounts = console.accounts();
        String password = console.initialAdminPassword().orElseGet(() -> Secrets.password(16));
        if (!accounts.setPassword("admin", password)) {
            throw new UserError("the data directory " + dir + " has no user 'admin'; use a fresh --data");
        }
        Accounts.writeSecret(dir.resolve(ADMIN_LOGIN), "admin " + password + "\n");
        Accounts.writeSecret(dir.resolve(API_TOKEN), accounts.replaceApiToken("admin", "demo") + "\n");
        return password;
    }

    /**
     * Enrolls the demo's agent like any other: a one-use token, the CA
     * fingerprint pinned, a CSR over the real TLS agent port. Skipped when
     * the agent's state directory already holds an enrollment (a reused --data).
     */
    public static void enrollLocalAgent(Console console, ConsoleAddress address, Path stateDir) {
        if (AgentCredentials.load(stateDir).isPresent()) {
            return;
        }
        TokenInfo token = console.enrollment().createToken("demo", Duration.ofMinutes(10), 1, "demo");
        try {
            new Enroller(Duration.ofSeconds(15)).enroll(address, token.secret(), console.enrollment().caFingerprint(),
                    AgentIdentity.loadOrCreate(stateDir), HostFactsReader.read(new HostProbe()), AgentVersion.get(), stateDir);
        } catch (Enroller.EnrollmentException e) {
            throw new UserError("the demo agent could not enroll: " + e.getMessage());
        }
    }

    private Path dataDir() {
        try {
            if (data == null) {
                return Files.createTempDirectory("firstline-demo-");
            }
            PrivateFiles.directories(data);
            return data;
        } catch (IOException e) {
            throw new UserError("cannot use data directory " + (data == null ? "in " + System.getProperty("java.io.tmpdir") : data)
                    + ": " + e.getMessage());
        }
    }
}

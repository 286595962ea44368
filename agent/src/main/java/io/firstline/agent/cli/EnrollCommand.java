package io.firstline.agent.cli;

import io.firstline.agent.AgentIdentity;
import io.firstline.agent.AgentVersion;
import io.firstline.agent.collect.HostProbe;
import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.enroll.BusyRetry;
import io.firstline.agent.enroll.Enroller;
import io.firstline.agent.encode.HostFactsReader;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.cli.CliSupport;
import io.firstline.wire.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code firstline-agent enroll}: trade an enrollment token for a client
 * certificate. The token comes from a file or stdin, never from the command
 * line, where other users could read it in the process list.
 */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = "Enroll this agent with a console: make a key pair, send a CSR with the token, keep the certificate.")
public final class EnrollCommand implements Runnable {

    @Option(names = "--console", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "The console's agent-link address (default port 7443), or its nodes' addresses: a busy or unreachable one is left for the next.")
    String console;

    @Option(names = "--token-file", required = true, paramLabel = "FILE",
            description = "File holding the enrollment token; '-' reads it from stdin.")
    String tokenFile;

    @Option(names = "--ca-fingerprint", required = true, paramLabel = "SHA256",
            description = "The console CA's SHA-256 fingerprint, as 'token create' printed it. The agent trusts no other console.")
    String caFingerprint;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.firstline-agent",
            description = "Where the agent keeps identity, key and certificate (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--new-identity", description = "Forget this agent's id and enroll under a new one (e.g. after it was revoked).")
    boolean newIdentity;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", description = "Connect and answer timeout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public void run() {
        List<ConsoleAddress> addresses = ConsoleAddress.parseList(console);
        String fingerprint = Tls.normalizeFingerprint(caFingerprint);
        String token = readToken();
        try {
            if (newIdentity) {
                Files.deleteIfExists(stateDir.resolve("agent-id"));
            }
        } catch (IOException e) {
            throw new CliSupport.UserError("cannot reset the identity in " + stateDir + ": " + e.getMessage());
        }
        String agentId = AgentIdentity.loadOrCreate(stateDir);
        try {
            // A console that is busy (too many agents connecting) says when to come back: wait and say so on stderr.
            Enroller enroller = new Enroller(timeout, BusyRetry.standard().withProgress(System.err::println));
            AgentCredentials c = enroller.enroll(addresses, token, fingerprint, agentId,
                    HostFactsReader.read(new HostProbe()), AgentVersion.get(), stateDir);
            String list = addresses.stream().map(ConsoleAddress::toString).collect(Collectors.joining(","));
            System.out.println("enrolled as agent " + c.agentId() + " with console " + list + "; certificate valid until "
                    + c.certificate().getNotAfter().toInstant());
            System.out.println("start it with: firstline-agent run --console " + list + " --state-dir " + stateDir);
        } catch (Enroller.EnrollmentException e) {
            throw new CliSupport.UserError("enrollment failed: " + e.getMessage());
        }
    }

    private String readToken() {
        try {
            String text;
            if ("-".equals(tokenFile)) {
                InputStream in = System.in;
                text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            } else {
                text = Files.readString(CliSupport.userPath(tokenFile), StandardCharsets.UTF_8);
            }
            String token = text.trim();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the token " + ("-".equals(tokenFile) ? "on stdin" : "file " + tokenFile) + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new CliSupport.UserError("cannot read the token from " + tokenFile + ": " + e.getMessage());
        }
    }
}

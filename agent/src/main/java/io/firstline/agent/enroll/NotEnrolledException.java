package io.firstline.agent.enroll;

import java.nio.file.Path;

/** The agent was asked to run from a state directory that holds no enrollment. */
public final class NotEnrolledException extends RuntimeException {
    public NotEnrolledException(Path stateDir) {
        super("this agent is not enrolled (no " + AgentCredentials.CERT_FILE + " in " + stateDir + "); run "
                + "'firstline-agent enroll --console HOST:7443 --token-file FILE --ca-fingerprint SHA256 --state-dir "
                + stateDir + "' first");
    }
}

package io.firstline.agent.enroll;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;

/**
 * The link's TLS context from the state directory, rebuilt when the
 * certificate file changes (after a renewal), so the next connection uses the
 * new certificate without a restart. Called on the link's event loop.
 */
public final class CredentialSource implements Supplier<SslContext> {
    private final Path stateDir;
    private FileTime loadedAt;
    private AgentCredentials credentials;
    private SslContext context;

    public CredentialSource(Path stateDir, AgentCredentials initial) {
        this.stateDir = stateDir;
        this.credentials = initial;
        this.context = initial.clientContext();
        this.loadedAt = modified();
    }

    public synchronized AgentCredentials current() {
        return credentials;
    }

    @Override
    public synchronized SslContext get() {
        FileTime now = modified();
        if (now != null && !now.equals(loadedAt)) {
            AgentCredentials.load(stateDir).ifPresent(c -> {
                credentials = c;
                context = c.clientContext();
            });
            loadedAt = now;
        }
        return context;
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(stateDir.resolve(AgentCredentials.CERT_FILE));
        } catch (IOException e) {
            return null;
        }
    }
}

package io.firstline.agent;

import io.firstline.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The agent's stable id, kept in {@code STATE_DIR/agent-id} (mode 0600) so it
 * survives restarts and upgrades. Enrollment later adds the key and
 * certificate beside it.
 */
public final class AgentIdentity {
    static final String FILE = "agent-id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private AgentIdentity() {
    }

    public static String loadOrCreate(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            PrivateFiles.directories(stateDir);
            if (!Files.exists(file)) {
                String id = UUID.randomUUID().toString();
                if (PrivateFiles.createNew(file, id + "\n")) {
                    return id;
                }
                // another process made it first; read theirs
            }
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!VALID.matcher(id).matches()) {
                throw new IllegalStateException(file + " does not hold a valid agent id: '" + id + "'");
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the agent id in " + stateDir + ": " + e.getMessage(), e);
        }
    }
}

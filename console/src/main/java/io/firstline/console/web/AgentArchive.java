package io.firstline.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The agent archive this console hands out at {@code /install/...}: the
 * file named by {@code -Dfirstline.agentArchive}, or else the first
 * {@value #NAME} found beside the console's own code, walking up from it:
 * {@code agent/} of the install directory when installed
 * ({@code /opt/firstline-console/lib/firstline-console.jar} finds
 * {@code /opt/firstline-console/agent/}), or the build output
 * {@code agent/target/} when run from a source tree after {@code ./mvnw package}.
 * Its SHA-256 is computed once per file version (size and modification time).
 */
final class AgentArchive {
    static final String NAME = "firstline-agent-linux-x64.tar.gz";
    static final String PROPERTY = "firstline.agentArchive";

    private final Optional<Path> file;
    private Object[] cached; // {size, mtime, sha256}

    private AgentArchive(Optional<Path> file) {
        this.file = file;
    }

    static AgentArchive at(Path file) {
        return new AgentArchive(Optional.of(file));
    }

    /** The archive as described above; {@link #file()} is empty when there is none. */
    static AgentArchive locate() {
        String configured = System.getProperty(PROPERTY, "");
        if (!configured.isBlank()) {
            return at(Path.of(configured));
        }
        Path here;
        try {
            here = Path.of(AgentArchive.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return new AgentArchive(Optional.empty());
        }
        for (Path dir = here.getParent(); dir != null && dir.getNameCount() > 0; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("agent").resolve(NAME), dir.resolve("agent").resolve("target").resolve(NAME)}) {
                if (Files.isRegularFile(candidate)) {
                    return at(candidate);
                }
            }
        }
        return new AgentArchive(Optional.empty());
    }

    /** The archive, if this console has one and it is there now. */
    Optional<Path> file() {
        return file.filter(Files::isRegularFile);
    }

    /** The archive's SHA-256 in hex. */
    synchronized String sha256() {
        Path f = file().orElseThrow(() -> new IllegalStateException("no agent archive"));
        try {
            long size = Files.size(f);
            FileTime mtime = Files.getLastModifiedTime(f);
            if (cached == null || (long) cached[0] != size || !cached[1].equals(mtime)) {
                cached = new Object[] {size, mtime, digest(f)};
            }
            return (String) cached[2];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.firstline.agent.diagnose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The outside programs some diagnostics use (journalctl, systemctl, tcpdump),
 * looked up only in the system directories, never on a PATH the environment
 * could change. Each is run with a fixed argument vector ({@link Command}).
 */
final class Tools {
    private static final List<String> DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

    private Tools() {
    }

    static Optional<Path> find(String name) {
        for (String d : DIRS) {
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}

package io.firstline.agent;

import io.firstline.agent.collect.CollectEnvironment;
import io.firstline.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers, in {@code STATE_DIR/boot-record}, which boot of the machine the
 * agent last ran in and whether it was stopped cleanly. An orderly shutdown
 * stops the agent first (systemd), so a new boot whose predecessor still says
 * {@code running} ended without one: power loss, a kernel panic, a watchdog or
 * a hard reset. (An agent killed with -9 before a clean reboot looks the same;
 * the ticket text says to check the previous boot's journal.)
 */
final class BootRecord implements CollectEnvironment.BootCheck {
    private static final Logger log = LoggerFactory.getLogger(BootRecord.class);
    static final String FILE = "boot-record";
    /** Boot times read twice may differ by a second or so; a new boot differs by far more. */
    private static final long SAME_BOOT_TOLERANCE_SECONDS = 60;

    private final Path file;
    private Boolean answer;
    private long bootTime;

    BootRecord(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    @Override
    public synchronized boolean previousBootEndedUncleanly(long bootTimeSeconds) {
        if (answer == null) {
            bootTime = bootTimeSeconds;
            String previous = read();
            answer = wasUnclean(previous, bootTimeSeconds);
            write(bootTimeSeconds, "running");
            if (answer) {
                log.warn("the previous boot of this machine ended while the agent was running (unexpected reboot)");
            }
        }
        return answer;
    }

    /** Called when the agent stops in an orderly way. */
    synchronized void markStopped() {
        if (answer != null) {
            write(bootTime, "stopped");
        }
    }

    /** Pure: whether {@code previous} (the file's text, or null) shows an unclean end of an earlier boot. */
    static boolean wasUnclean(String previous, long bootTimeSeconds) {
        if (previous == null) {
            return false;
        }
        String[] parts = previous.trim().split("\\s+");
        if (parts.length != 2) {
            return false;
        }
        try {
            long prevBoot = Long.parseLong(parts[0]);
            return Math.abs(prevBoot - bootTimeSeconds) > SAME_BOOT_TOLERANCE_SECONDS && parts[1].equals("running");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String read() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            log.warn("cannot read {}: {}", file, e.getMessage());
            return null;
        }
    }

    private void write(long boot, String state) {
        try {
            PrivateFiles.writeString(file, boot + " " + state + "\n");
        } catch (IOException e) {
            log.warn("cannot write {}: {}", file, e.getMessage());
        }
    }
}

package io.firstline.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootRecordTest {
    @TempDir
    Path state;

    @Test
    void parsesThePreviousRecord() {
        assertFalse(BootRecord.wasUnclean(null, 1000));
        assertFalse(BootRecord.wasUnclean("garbage", 1000));
        assertFalse(BootRecord.wasUnclean("500 stopped", 100_000));
        assertTrue(BootRecord.wasUnclean("500 running", 100_000));
        assertFalse(BootRecord.wasUnclean("99990 running", 100_000), "same boot, agent restarted");
    }

    @Test
    void aNewBootAfterACleanStopIsExpectedAndAfterACrashIsNot() throws Exception {
        BootRecord first = new BootRecord(state);
        assertFalse(first.previousBootEndedUncleanly(1_000), "no record yet");
        first.markStopped();
        assertEquals("1000 stopped", Files.readString(state.resolve(BootRecord.FILE)).trim());
        assertFalse(new BootRecord(state).previousBootEndedUncleanly(50_000), "clean shutdown, then reboot");

        // The agent of boot 50000 never stopped: the machine lost power.
        BootRecord afterCrash = new BootRecord(state);
        assertTrue(afterCrash.previousBootEndedUncleanly(90_000));
        assertTrue(afterCrash.previousBootEndedUncleanly(90_001), "the answer holds for the whole run");
        // An agent restart within the same boot is not a reboot.
        assertFalse(new BootRecord(state).previousBootEndedUncleanly(90_000));
    }
}

package io.firstline.console.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.cli.CliSupport.UserError;
import io.firstline.console.Console;
import io.firstline.console.config.ConsoleConfig;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One user of a data directory at a time: a second console, or a console during migrate-store, is refused by name. */
class DataDirLockTest {
    @TempDir
    Path dir;

    private ConsoleConfig config() {
        return ConsoleConfig.defaults(dir).withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0));
    }

    @Test
    void aSecondConsoleOnTheSameDataDirectoryIsRefusedAndTheFirstKeepsIt() throws Exception {
        try (Console first = Console.start(config())) {
            UserError e = assertThrows(UserError.class, () -> Console.start(config()).close());
            assertTrue(e.getMessage().contains("is in use by console pid " + ProcessHandle.current().pid()), e.getMessage());
            assertEquals(Optional.empty(), DataDirLock.tryTake(dir, "migrate-store"), "still held by the first console");
        }
        try (DataDirLock migrating = DataDirLock.tryTake(dir, "migrate-store").orElseThrow()) {
            UserError e = assertThrows(UserError.class, () -> Console.start(config()).close());
            assertTrue(e.getMessage().contains("is in use by migrate-store pid"), e.getMessage());
        }
        Console.start(config()).close();
    }
}

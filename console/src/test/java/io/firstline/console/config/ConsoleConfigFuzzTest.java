package io.firstline.console.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the console's configuration file ({@code serve --config FILE}).
 * Seeds and findings: {@code ConsoleConfigFuzzTestInputs/} in the test resources.
 */
class ConsoleConfigFuzzTest {

    /** Any text is either a configuration the console can start with or one error that names the file. */
    @FuzzTest
    void anyTextIsAConfigOrAnErrorNamingTheFile(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            ConsoleConfig c = ConfigLoader.parse("console.yaml", text);
            assertTrue(!c.offlineAfter().isNegative() && !c.offlineAfter().isZero() && c.maxFrameBytes() >= 1024, c::toString);
        } catch (ConfigLoader.ConfigException e) {
            assertTrue(e.getMessage().startsWith("console.yaml: "), e.getMessage());
        }
    }
}

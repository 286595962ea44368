package io.firstline.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fuzzes the duration syntax every configuration file and command line uses
 * ({@code 500ms}, {@code 10s}, {@code 24h}, {@code 7d}).
 * Seeds and findings: {@code DurationsFuzzTestInputs/} in the test resources.
 */
class DurationsFuzzTest {

    /** Any text is a non-negative duration that formats back to itself, or an IllegalArgumentException. */
    @FuzzTest
    void anyTextIsADurationOrRefused(byte[] input) {
        Duration d;
        try {
            d = Durations.parse(new String(input, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertFalse(d.isNegative(), d::toString);
        assertEquals(d, Durations.parse(Durations.format(d)), () -> "format of " + d);
    }
}

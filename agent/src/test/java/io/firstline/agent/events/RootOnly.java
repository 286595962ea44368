package io.firstline.agent.events;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need root (reading and writing /dev/kmsg, loop mounts, cgroups)
 * skip with a message elsewhere, and fail instead where
 * FIRSTLINE_REQUIRE_TOOLS is set (CI runs as root).
 */
final class RootOnly {
    private RootOnly() {
    }

    static void require(boolean possible, String what) {
        if (possible) {
            return;
        }
        String message = what + " needs root on Linux; test skipped";
        if (System.getenv("FIRSTLINE_REQUIRE_TOOLS") != null) {
            fail(message.replace("test skipped", "FIRSTLINE_REQUIRE_TOOLS is set, so this is a failure"));
        }
        Assumptions.abort(message);
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name")) && System.getProperty("os.name", "").startsWith("Linux");
    }
}

package io.firstline.console.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@code DATA/notifications.yaml}, the webhook targets.
 * Seeds and findings: {@code NotifyConfigFuzzTestInputs/} in the test resources.
 */
class NotifyConfigFuzzTest {

    /** Any text is either distinct targets, webhooks with absolute http(s) URLs, or one error naming the file. */
    @FuzzTest
    void anyTextIsTargetsOrAnErrorNamingTheFile(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Notifications n = NotifyConfig.parse("notifications.yaml", text, java.nio.file.Path.of("/nonexistent"));
            assertEquals(n.targets().size(), n.targets().stream().map(NotifyTarget::name).distinct().count());
            for (WebhookTarget t : n.webhooks()) {
                String scheme = String.valueOf(t.url().getScheme());
                assertTrue(scheme.equals("http") || scheme.equals("https"), t::toString);
                assertTrue(t.url().getHost() != null, t::toString);
            }
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("notifications.yaml: "), e.getMessage());
        }
    }
}

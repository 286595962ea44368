package io.firstline.console.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes {@code DATA/notifications.yaml}, the webhook targets.
 * Seeds and findings: {@code NotifyConfigFuzzTestInputs/} in the test resources.
 */
class NotifyConfigFuzzTest {

    /** Any text is either a list of distinct, absolute http(s) targets or one error naming the file. */
    @FuzzTest
    void anyTextIsTargetsOrAnErrorNamingTheFile(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            List<WebhookTarget> targets = NotifyConfig.parse("notifications.yaml", text);
            assertEquals(targets.size(), targets.stream().map(WebhookTarget::name).distinct().count());
            for (WebhookTarget t : targets) {
                String scheme = String.valueOf(t.url().getScheme());
                assertTrue(scheme.equals("http") || scheme.equals("https"), t::toString);
                assertTrue(t.url().getHost() != null, t::toString);
            }
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("notifications.yaml: "), e.getMessage());
        }
    }
}

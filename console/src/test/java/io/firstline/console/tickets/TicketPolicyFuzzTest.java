package io.firstline.console.tickets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fuzzes {@code DATA/tickets.yaml}, the SLA and reopen policy.
 * Seeds and findings: {@code TicketPolicyFuzzTestInputs/} in the test resources.
 */
class TicketPolicyFuzzTest {

    /** Any text is either a policy with non-negative times and ordered escalation steps, or one error naming the file. */
    @FuzzTest
    void anyTextIsAPolicyOrAnErrorNamingTheFile(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            TicketPolicy p = TicketPolicyLoader.parse("tickets.yaml", text);
            assertFalse(p.reopenWindow().isNegative() || p.closeAfter().isNegative(), p::toString);
            for (TicketPolicy.Sla sla : p.sla().values()) {
                assertFalse(sla.ackWithin().isNegative() || sla.resolveWithin().isNegative(), p::toString);
                Duration last = Duration.ZERO;
                for (TicketPolicy.EscalationStep step : sla.steps()) {
                    assertFalse(step.after().compareTo(last) < 0, p::toString);
                    last = step.after();
                }
            }
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("tickets.yaml: "), e.getMessage());
        }
    }
}

package io.firstline.agent.diagnose;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.firstline.diagnostics.Action;
import io.firstline.diagnostics.Allowance;
import io.firstline.diagnostics.InvalidParameter;
import io.firstline.proto.DiagnosticRequest;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes the agent's own check of a request as it comes off the wire (any
 * bytes as a DiagnosticRequest). Seeds and findings:
 * {@code DiagnosticRequestFuzzTestInputs/}.
 */
class DiagnosticRequestFuzzTest {
    private static final Allowance ALLOWANCE = new Allowance(true, List.of("log_tail", "disk_usage", "tcp_connect", "bundle", "routes"),
            List.of("app"), List.of("/srv/data"), List.of(), List.of());

    /** Whatever a console sends, the agent either refuses it naming a parameter or it is within this agent's list. */
    @FuzzTest
    void anyRequestIsRefusedOrWithinTheAgentsList(byte[] input) {
        DiagnosticRequest r;
        try {
            r = DiagnosticRequest.parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        try {
            Action.Valid v = Diagnostics.check(r, ALLOWANCE);
            assertTrue(ALLOWANCE.actions().contains(v.action().wireName()), v.toString());
            if (v.action() == Action.LOG_TAIL) {
                assertTrue(ALLOWANCE.logs().contains(v.params().get("log")), v.toString());
            }
            if (v.action() == Action.DISK_USAGE) {
                assertTrue(Path.of(v.params().get("path")).startsWith("/srv/data"), v.toString());
            }
            if (v.action() == Action.BUNDLE) {
                ALLOWANCE.bundled(v).forEach(a -> assertTrue(ALLOWANCE.actions().contains(a.wireName()), a.wireName()));
            }
            assertTrue(r.getTimeoutMs() <= 60_000);
        } catch (InvalidParameter e) {
            assertFalse(e.param().isEmpty());
        }
    }
}

package io.firstline.diagnostics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the parameter rules both sides share (console before sending, agent
 * on receipt). Seeds and findings: {@code DiagnosticParamsFuzzTestInputs/}.
 */
class DiagnosticParamsFuzzTest {
    private static final Allowance ALLOWANCE = new Allowance(true, Action.names(), List.of("syslog", "app"), List.of("/var/log", "/srv"),
            List.of("eth0"), List.of());

    /** Any action and parameters are either refused naming a parameter, or valid within every bound. */
    @FuzzTest
    void anyRequestIsRefusedNamingAParameterOrValidWithinBounds(FuzzedDataProvider data) {
        String action = data.pickValue(Action.names().toArray(new String[0]));
        if (data.consumeBoolean()) {
            action = data.consumeString(20);
        }
        Map<String, String> params = new LinkedHashMap<>();
        int n = data.consumeInt(0, 5);
        for (int i = 0; i < n; i++) {
            String name = data.consumeBoolean() ? data.pickValue(new String[] {"host", "port", "name", "type", "count", "url", "path",
                "log", "lines", "grep", "unit", "interface", "filter", "seconds", "packets", "actions", "method", "depth"})
                    : data.consumeString(10);
            params.put(name, data.consumeString(300));
        }
        try {
            Action.Valid v = Action.validate(action, params);
            for (Map.Entry<String, String> e : v.params().entrySet()) {
                String value = e.getValue();
                for (char c : value.toCharArray()) {
                    assertFalse(Character.isISOControl(c), "control character in " + e);
                }
                if (List.of("host", "name").contains(e.getKey())) {
                    assertTrue(value.matches("[a-z0-9_.:-]*"), "host " + value);
                    assertFalse(value.startsWith("-"), value);
                }
                if (e.getKey().equals("path") && !value.isEmpty()) {
                    assertTrue(value.startsWith("/") && !value.contains("/../") && !value.endsWith("/.."), value);
                }
                if (e.getKey().equals("url")) {
                    assertTrue(value.startsWith("http://") || value.startsWith("https://"), value);
                }
            }
            ALLOWANCE.refusal(v).ifPresent(r -> assertFalse(r.param().isEmpty()));
        } catch (InvalidParameter e) {
            assertFalse(e.param().isEmpty());
            assertFalse(e.getMessage().isEmpty());
        }
    }
}

package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.firstline.diagnostics.Action;
import io.firstline.diagnostics.Allowance;
import io.firstline.diagnostics.InvalidParameter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the console's side of a diagnostic request: the JSON {@code params}
 * of {@code POST /api/agents/{id}/diagnostics}, turned into text values and
 * checked against the action and an agent's allow-list before anything is
 * sent. Seeds and findings: {@code DiagnosticsBodyFuzzTestInputs/}.
 */
class DiagnosticsBodyFuzzTest {
    private static final Allowance AGENT = new Allowance(true, List.of("tcp_connect", "log_tail", "disk_usage", "bundle", "routes"),
            List.of("app"), List.of("/srv"), List.of(), List.of());

    /** Any body is a 400 naming a parameter, or a request within the agent's list; never anything else. */
    @FuzzTest
    void anyBodyIsA400NamingAParameterOrAnAllowedRequest(byte[] input) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(new String(input, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            return; // not JSON: the exchange answers 400 before this
        }
        if (body == null || !body.isObject()) {
            return;
        }
        try {
            Map<String, String> params = DiagnosticsApi.params(body.get("params"));
            Action.Valid v = Action.validate(body.path("action").asText(""), params);
            AGENT.refusal(v).ifPresent(r -> {
                throw r;
            });
            assertNotNull(v.action());
        } catch (ApiError e) {
            assertEquals(400, e.status.code());
            assertNotNull(e.param);
        } catch (InvalidParameter e) {
            assertFalse(e.param().isEmpty());
        }
    }
}

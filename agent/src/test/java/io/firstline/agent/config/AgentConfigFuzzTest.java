package io.firstline.agent.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.firstline.agent.collect.CollectorRegistry;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the agent's configuration file ({@code /etc/firstline/agent.conf}).
 * Seeds and findings: {@code AgentConfigFuzzTestInputs/} in the test resources.
 */
class AgentConfigFuzzTest {
    private static final AgentConfigLoader LOADER = new AgentConfigLoader(CollectorRegistry.builtIn());

    /** Any text is either a configuration within the documented bounds or one error naming the file. */
    @FuzzTest
    void anyTextIsAConfigOrAnErrorNamingTheFile(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            AgentConfig c = LOADER.parse("agent.conf", text);
            c.intervals().values().forEach(d -> assertTrue(d.compareTo(AgentConfigLoader.MIN_INTERVAL) >= 0
                    && d.compareTo(AgentConfigLoader.MAX_INTERVAL) <= 0, d::toString));
            assertTrue(c.inventoryInterval().compareTo(AgentConfigLoader.MIN_INVENTORY) >= 0
                    && c.inventoryInterval().compareTo(AgentConfigLoader.MAX_INVENTORY) <= 0, c::toString);
        } catch (AgentConfigLoader.ConfigException e) {
            assertTrue(e.getMessage().startsWith("agent.conf:"), e.getMessage());
        }
    }
}

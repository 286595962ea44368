package io.firstline.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.collect.CollectorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
    private final AgentConfigLoader loader = new AgentConfigLoader(CollectorRegistry.builtIn());

    private String error(String text) {
        return assertThrows(AgentConfigLoader.ConfigException.class, () -> loader.parse("agent.conf", text)).getMessage();
    }

    @Test
    void readsEveryKey() {
        AgentConfig c = loader.parse("agent.conf", """
                # a comment
                collectors.enable = sensors
                collectors.disable = services, power

                collector.processes.interval = 1m
                inventory.interval = 6h
                connectivity.dns = example.com, intranet.example.
                """);
        assertEquals(Set.of("sensors"), c.enable());
        assertEquals(Set.of("services", "power"), c.disable());
        assertEquals(Map.of("processes", Duration.ofMinutes(1)), c.intervals());
        assertEquals(Duration.ofHours(6), c.inventoryInterval());
        assertEquals(List.of("example.com", "intranet.example."), c.dnsNames());
    }

    @Test
    void emptyFileIsTheDefaults() {
        assertEquals(AgentConfig.defaults(), loader.parse("agent.conf", "\n# nothing\n"));
    }

    @Test
    void unknownCollectorIsNamedWithFileAndLine() {
        String e = error("\ncollectors.enable = cpu, gpu\n");
        assertTrue(e.startsWith("agent.conf:2: unknown collector 'gpu' in collectors.enable"), e);
        assertTrue(e.contains("known: cpu, memory"), e);
        e = error("collector.gpu.interval = 10s");
        assertTrue(e.startsWith("agent.conf:1: unknown collector 'gpu' in collector.gpu.interval"), e);
    }

    @Test
    void badIntervalIsNamed() {
        String e = error("collector.processes.interval = often");
        assertTrue(e.startsWith("agent.conf:1: bad interval for collector.processes.interval: 'often' is not a duration"), e);
        e = error("collector.processes.interval = 500ms");
        assertTrue(e.contains("'500ms' is outside 1s to 1d"), e);
        e = error("inventory.interval = 10s");
        assertTrue(e.contains("inventory.interval: '10s' is outside 1m to 7d"), e);
    }

    @Test
    void otherMistakesAreNamed() {
        assertTrue(error("collectors.enable").contains("expected 'key = value'"));
        assertTrue(error("collector.cpu.intervall = 5s").contains("unknown key 'collector.cpu.intervall'"));
        assertTrue(error("inventory.interval = 1h\ninventory.interval = 2h").startsWith("agent.conf:2: inventory.interval is set twice"));
        assertTrue(error("connectivity.dns = exa mple.com").contains("'exa mple.com' in connectivity.dns is not a host name"));
        assertTrue(error("collectors.enable = os\ncollectors.disable = os").contains("'os' is both enabled and disabled"));
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.conf");
        assertEquals(missing + ": no such file",
                assertThrows(AgentConfigLoader.ConfigException.class, () -> loader.load(missing)).getMessage());
        Path ok = Files.writeString(dir.resolve("agent.conf"), "collectors.disable = time\n");
        assertEquals(Set.of("time"), loader.load(ok).disable());
    }
}

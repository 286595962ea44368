package io.firstline.console.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    @Test
    void emptyFileMeansDefaults() {
        ConsoleConfig c = ConfigLoader.parse("c.yaml", "");
        assertEquals(7443, c.agentListen().port());
        assertEquals("127.0.0.1", c.httpListen().bind());
        assertEquals(8080, c.httpListen().port());
        assertEquals(Duration.ofSeconds(30), c.offlineAfter());
        assertEquals(1 << 20, c.maxFrameBytes());
    }

    @Test
    void readsEveryOption() {
        ConsoleConfig c = ConfigLoader.parse("c.yaml", """
                dataDir: /srv/firstline
                agent:
                  bind: 127.0.0.1
                  port: 9443
                  maxFrameBytes: 65536
                  handshakeTimeout: 5s
                http:
                  bind: 0.0.0.0
                  port: 9080
                sampleInterval: 15s
                offlineAfterIntervals: 4
                """);
        assertEquals(Path.of("/srv/firstline"), c.dataDir());
        assertEquals(new ConsoleConfig.Listen("127.0.0.1", 9443), c.agentListen());
        assertEquals(new ConsoleConfig.Listen("0.0.0.0", 9080), c.httpListen());
        assertEquals(Duration.ofMinutes(1), c.offlineAfter());
        assertEquals(65536, c.maxFrameBytes());
        assertEquals(Duration.ofSeconds(5), c.handshakeTimeout());
    }

    @Test
    void unknownOptionNamesFileLineAndOption() {
        ConfigLoader.ConfigException e = assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", """
                agent:
                  port: 9443
                  prot: 1
                """));
        assertTrue(e.getMessage().startsWith("c.yaml: line 3: unknown option 'agent.prot'"), e.getMessage());
    }

    @Test
    void badValuesAreNamed() {
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "sampleInterval: soon\n"))
                .getMessage().contains("'sampleInterval'"));
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "http:\n  port: 99999\n"))
                .getMessage().contains("port must be 0-65535"));
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "http:\n  port: eighty\n"))
                .getMessage().contains("line 2"));
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "agent:\n  port: 1\n bad: [\n"))
                .getMessage().startsWith("c.yaml: line 3: not valid YAML"));
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "agent: [\n"))
                .getMessage().contains("'agent'"));
    }

    @Test
    void missingFileIsNamed() {
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(Path.of("/nonexistent/firstline.yaml")))
                .getMessage().contains("/nonexistent/firstline.yaml: no such file"));
    }
}

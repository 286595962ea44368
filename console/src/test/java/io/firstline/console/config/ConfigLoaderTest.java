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
                  maxHandshakes: 64
                  shutdownSpread: 30s
                  admissionWait: 20s
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
        assertEquals(64, c.maxHandshakes());
        assertEquals(Duration.ofSeconds(30), c.shutdownSpread());
        assertEquals(Duration.ofSeconds(20), c.admissionWait());
        ConsoleConfig defaults = ConfigLoader.parse("c.yaml", "");
        assertEquals(128, defaults.maxHandshakes());
        assertEquals(Duration.ofSeconds(10), defaults.shutdownSpread());
        assertEquals(Duration.ofSeconds(10), defaults.admissionWait());
        assertEquals(Duration.ZERO, ConfigLoader.parse("c.yaml", "agent:\n  admissionWait: 0s\n").admissionWait());
    }

    @Test
    void theStoreSectionNamesAPostgresqlStoreAndIsEmbeddedSqliteWhenAbsent() {
        assertTrue(ConfigLoader.parse("c.yaml", "").store().embedded());
        ConsoleConfig c = ConfigLoader.parse("c.yaml", """
                store:
                  url: jdbc:postgresql://db.example:5432/firstline
                  user: firstline
                  passwordFile: /etc/firstline/store-password
                """);
        assertEquals("jdbc:postgresql://db.example:5432/firstline", c.store().url());
        assertEquals("firstline", c.store().user());
        assertEquals(java.nio.file.Path.of("/etc/firstline/store-password"), c.store().passwordFile().orElseThrow());
        String missing = assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "store:\n  user: x\n"))
                .getMessage();
        assertTrue(missing.startsWith("c.yaml: option 'store.url' is required in a 'store' section"), missing);
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "store:\n  url: mysql://x\n"))
                .getMessage().contains("option 'store.url' must be a PostgreSQL JDBC URL"));
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "store:\n  url: jdbc:postgresql://x/y\n  pasword: x\n"))
                .getMessage().contains("unknown option 'store.pasword'"));
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
    void everyErrorNamesTheOptionItsLineAndTheAllowedValuesButNoJavaType() {
        String[][] cases = {
                {"http:\n  port: eighty\n", "c.yaml: line 2: option 'http.port' must be a whole number"},
                {"http:\n  bind: 0.0.0.0\n  port: 99999\n", "c.yaml: line 3: option 'http.port' must be from 0 to 65535, got 99999"},
                {"dataDir: /x\nsampleInterval: soon\n",
                        "c.yaml: line 2: option 'sampleInterval' must be a duration such as 500ms, 10s, 5m, 24h or 7d, got 'soon'"},
                {"sampleInterval: 2h\n", "c.yaml: line 1: option 'sampleInterval' must be from 1s to 1h, got 2h"},
                {"agent:\n  handshakeTimeout: 0s\n", "c.yaml: line 2: option 'agent.handshakeTimeout' must be from 1ms to 10m, got 0s"},
                {"offlineAfterIntervals: [1]\n", "c.yaml: line 1: option 'offlineAfterIntervals' must be a whole number"},
                {"agent:\n  maxFrameBytes: 10\n", "c.yaml: line 2: option 'agent.maxFrameBytes' must be from 1024 to 67108864, got 10"},
                {"http:\n  maxFrameBytes: 2048\n", "c.yaml: line 2: option 'http.maxFrameBytes' belongs under 'agent'"},
                {"agent:\n  maxHandshakes: 0\n", "c.yaml: line 2: option 'agent.maxHandshakes' must be from 1 to 100000, got 0"},
                {"agent:\n  shutdownSpread: 5m\n", "c.yaml: line 2: option 'agent.shutdownSpread' must be from 0s to 2m, got 5m"},
                {"http:\n  maxHandshakes: 9\n", "c.yaml: line 2: option 'http.maxHandshakes' belongs under 'agent'"},
                {"agent:\n  admissionWait: 30s\n", "c.yaml: line 2: option 'agent.admissionWait' must be from 0s to 25s, got 30s"},
                {"http:\n  admissionWait: 5s\n", "c.yaml: line 2: option 'http.admissionWait' belongs under 'agent'"},
        };
        for (String[] c : cases) {
            String m = assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", c[0])).getMessage();
            assertTrue(m.startsWith(c[1]), m);
            assertTrue(!m.matches("(?s).*(java\\.|Cannot deserialize|PT[0-9]).*"), m);
        }
    }

    @Test
    void badValuesAreNamed() {
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "sampleInterval: soon\n"))
                .getMessage().contains("'sampleInterval'"));
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "http:\n  port: 99999\n"))
                .getMessage().contains("option 'http.port' must be from 0 to 65535"));
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

    @Test
    void theAgentPortsTlsProviderIsAutoUnlessSetAndAWrongOneIsNamed() {
        assertEquals(io.firstline.console.pki.TlsProvider.AUTO, ConfigLoader.parse("c.yaml", "").tlsProvider());
        assertEquals(io.firstline.console.pki.TlsProvider.JDK, ConfigLoader.parse("c.yaml", "agent:\n  tlsProvider: jdk\n").tlsProvider());
        assertEquals(io.firstline.console.pki.TlsProvider.OPENSSL,
                ConfigLoader.parse("c.yaml", "agent:\n  tlsProvider: OpenSSL\n").tlsProvider());
        assertEquals("c.yaml: line 3: option 'agent.tlsProvider' must be one of auto, openssl, jdk, got 'boring'",
                assertThrows(ConfigLoader.ConfigException.class,
                        () -> ConfigLoader.parse("c.yaml", "agent:\n  port: 7443\n  tlsProvider: boring\n")).getMessage());
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "http:\n  tlsProvider: jdk\n"))
                .getMessage().contains("belongs under 'agent' (agent.tlsProvider)"));
    }

    @Test
    void theAgentPortCoalescesFor20msUnlessSetAndWrongValuesAreNamed() {
        assertEquals(Duration.ofMillis(20), ConfigLoader.parse("c.yaml", "").io().agentCoalescing());
        assertEquals(Duration.ZERO, ConfigLoader.parse("c.yaml", "agent:\n  ioCoalescing: 0s\n").io().agentCoalescing());
        assertEquals(Duration.ofMillis(50), ConfigLoader.parse("c.yaml", "agent:\n  ioCoalescing: 50ms\n").io().agentCoalescing());
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "agent:\n  ioCoalescing: 1s\n"))
                .getMessage().contains("agent.ioCoalescing"));
        assertTrue(assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.parse("c.yaml", "http:\n  ioCoalescing: 5ms\n"))
                .getMessage().contains("belongs under 'agent' (agent.ioCoalescing)"));
    }
}

package io.firstline.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleAddressTest {
    @Test
    void parsesHostPortDefaultAndIpv6() {
        assertEquals(new ConsoleAddress("console.example", 9000), ConsoleAddress.parse("console.example:9000"));
        assertEquals(new ConsoleAddress("10.0.0.1", 7443), ConsoleAddress.parse("10.0.0.1"));
        assertEquals(new ConsoleAddress("::1", 7443), ConsoleAddress.parse("[::1]:7443"));
        assertEquals("[::1]:7443", ConsoleAddress.parse("[::1]").toString());
        assertEquals(List.of(new ConsoleAddress("a", 1), new ConsoleAddress("b", 7443)), ConsoleAddress.parseList("a:1, b"));
    }

    @Test
    void rejectsBadInputNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConsoleAddress.parse("host:http"));
        assertTrue(e.getMessage().contains("'http'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConsoleAddress.parse("host:70000"));
        assertThrows(IllegalArgumentException.class, () -> ConsoleAddress.parse(":7443"));
        assertThrows(IllegalArgumentException.class, () -> ConsoleAddress.parse("::1:7443"));
        assertThrows(IllegalArgumentException.class, () -> ConsoleAddress.parseList(" , "));
    }
}

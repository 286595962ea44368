package io.firstline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.firstline.agent.link.ConsoleAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetTest {
    @Test
    void agentsAreGivenEveryConsoleEachStartingAtTheNextOneInTurn() {
        ConsoleAddress a = ConsoleAddress.parse("127.0.0.1:7001");
        ConsoleAddress b = ConsoleAddress.parse("127.0.0.1:7002");
        ConsoleAddress c = ConsoleAddress.parse("127.0.0.1:7003");
        assertEquals(List.of(a, b, c), Fleet.startingAt(List.of(a, b, c), 0));
        assertEquals(List.of(b, c, a), Fleet.startingAt(List.of(a, b, c), 1));
        assertEquals(List.of(c, a, b), Fleet.startingAt(List.of(a, b, c), 2));
        assertEquals(List.of(a, b, c), Fleet.startingAt(List.of(a, b, c), 3));
        assertEquals(List.of(a), Fleet.startingAt(List.of(a), 5), "one console: every agent on it");
    }
}

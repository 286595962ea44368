package io.firstline.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private final Options options = new Options("tool", "Does things.", List.of(
            Options.Option.of("--console", "HOST:PORT", "Where.").asRequired(),
            Options.Option.of("--interval", "DURATION", "How often.").withDefault("10s"),
            Options.Option.of("--config", "FILE", "What."),
            Options.Option.of("--enable", "NAME", "Which.").asRepeatable()));

    @Test
    void valuesBothWaysDefaultsAndRepeats() {
        Options.Parsed p = options.parse("--console", "a:1", "--interval=5s", "--enable", "x,y", "--enable=z");
        assertEquals("a:1", p.get("--console"));
        assertEquals("5s", p.get("--interval"));
        assertEquals(List.of("x", "y", "z"), p.all("--enable"));
        assertNull(p.get("--config"));

        Options.Parsed defaults = options.parse("--console=b:2");
        assertEquals("10s", defaults.get("--interval"));
        assertEquals(List.of(), defaults.all("--enable"));
        assertEquals("", options.parse("--console=b:2", "--config=").get("--config"));
    }

    @Test
    void badInputNamesTheOptionAsPicocliDoes() {
        assertEquals("Unknown option: '--consol'", assertThrows(Options.BadInput.class, () -> options.parse("--consol", "x")).getMessage());
        assertEquals("Unmatched argument at index 2: 'extra'",
                assertThrows(Options.BadInput.class, () -> options.parse("--console", "a", "extra")).getMessage());
        assertEquals("Missing required option: '--console=HOST:PORT'",
                assertThrows(Options.BadInput.class, () -> options.parse("--interval", "1s")).getMessage());
        assertEquals("Missing required parameter for option '--console' (HOST:PORT)",
                assertThrows(Options.BadInput.class, () -> options.parse("--console")).getMessage());
        assertEquals("Missing required parameter for option '--console' (HOST:PORT)",
                assertThrows(Options.BadInput.class, () -> options.parse("--console", "--interval", "1s")).getMessage());
    }

    @Test
    void helpWinsAndListsEveryOptionWithItsDefault() {
        assertTrue(options.parse("--console", "a", "--help").help());
        assertTrue(options.parse("-h").help());
        String usage = options.usage();
        assertTrue(usage.startsWith("Usage: tool [-h] --console=HOST:PORT [--interval=DURATION] [--config=FILE] [--enable=NAME]..."), usage);
        assertTrue(usage.contains("How often. Default: 10s."), usage);
        assertTrue(usage.contains("Does things."), usage);
    }
}

package io.firstline.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class PlainTextTest {
    /** The fixtures in plaintext/escapes.tsv, one test each. */
    @TestFactory
    List<DynamicTest> stripsEveryFixture() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (InputStream in = PlainTextTest.class.getResourceAsStream("/plaintext/escapes.tsv")) {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int n = 0;
            for (String line : all.split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t", 2);
                String input = unescape(parts[0]);
                String expected = unescape(parts[1]);
                tests.add(DynamicTest.dynamicTest("fixture " + (++n) + ": " + parts[1], () -> {
                    String out = PlainText.strip(input);
                    assertEquals(expected, out);
                    assertSafe(out);
                }));
            }
        }
        assertTrue(tests.size() >= 30, "fixtures read: " + tests.size());
        return tests;
    }

    /** Nothing a terminal acts on survives: no C0 but newline and tab, no DEL, no C1, no bidi controls. */
    static void assertSafe(String s) {
        for (char c : s.toCharArray()) {
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
            assertFalse(control, "unsafe character U+" + Integer.toHexString(c) + " in " + s);
        }
    }

    @Test
    void randomBytesNeverLeaveAnythingATerminalWouldActOn() {
        Random r = new Random(14);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            // Bias towards the interesting bytes.
            for (int j = 0; j < b.length; j += 3) {
                b[j] = (byte) new int[] {0x1b, '[', ']', 0x07, 0x9b, '\\', 'P', 0x0d}[r.nextInt(8)];
            }
            String s = PlainText.strip(PlainText.decodeUtf8(b));
            assertSafe(s);
            assertEquals(s, PlainText.strip(s), "stripping is idempotent");
        }
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        byte[] bad = {'o', 'k', ' ', (byte) 0xff, ' ', (byte) 0xc3, ' ', (byte) 0xe2, (byte) 0x82, ' ', 'e', 'n', 'd'};
        assertEquals("ok \uFFFD \uFFFD \uFFFD end", PlainText.decodeUtf8(bad));
        assertEquals("é", PlainText.decodeUtf8(new byte[] {(byte) 0xc3, (byte) 0xa9}));
    }

    @Test
    void cutKeepsWholeCharactersAndEndsWithTheNote() {
        String text = "é".repeat(5000); // 10,000 bytes of two-byte characters
        PlainText.Cut c = PlainText.cut(text, 8192, " [cut]");
        assertTrue(c.cut());
        assertTrue(c.text().endsWith(" [cut]"));
        byte[] utf8 = c.text().getBytes(StandardCharsets.UTF_8);
        assertTrue(utf8.length <= 8192, "at most 8 KiB: " + utf8.length);
        assertFalse(c.text().contains("\uFFFD"), "no character split");
        assertEquals(new PlainText.Cut("short", false), PlainText.cut("short", 8192, " [cut]"));
    }

    @Test
    void firstWordsMakeAOneLineTitleOfAtMost80Characters() {
        assertEquals("my screen froze", PlainText.firstWords("  my screen\n\tfroze  ", 80));
        String t = PlainText.firstWords("word ".repeat(40), 80);
        assertTrue(t.length() <= 80, t);
        assertTrue(t.endsWith("…"));
        assertEquals(80, PlainText.firstWords("x".repeat(200), 80).length());
        assertEquals("title", PlainText.firstWords("\u001b]0;evil\u0007title", 80));
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char k = s.charAt(++i);
            switch (k) {
                case 'e' -> b.append('\u001b');
                case 'a' -> b.append('\u0007');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case '\\' -> b.append('\\');
                case 'x' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append('\\').append(k);
            }
        }
        return b.toString();
    }
}

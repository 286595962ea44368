package io.firstline.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text from people and from the network made safe to store and to print on a
 * terminal: invalid UTF-8 becomes U+FFFD, terminal escape sequences (CSI,
 * OSC, DCS and the other string controls, two-character ESC sequences) are
 * removed whole, and so are the remaining C0 and C1 control characters and the
 * bidirectional overrides, which could make printed text read differently
 * from what it is. Newlines and tabs stay. Shared by the agent (reports in,
 * status out) and the console (replies in).
 */
public final class PlainText {
    private static final char ESC = 0x1b;
    private static final char BEL = 0x07;
    private static final char CSI_8BIT = 0x9b;
    private static final char ST_8BIT = 0x9c;

    private PlainText() {
    }

    /** {@code bytes} as UTF-8, every malformed or unmappable sequence replaced by U+FFFD. */
    public static String decodeUtf8(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer out = d.decode(ByteBuffer.wrap(bytes));
            return out.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    /**
     * {@code text} without escape sequences and control characters; newlines
     * (CR LF and CR become LF) and tabs are kept. Lone surrogates become U+FFFD.
     */
    public static String strip(String text) {
        StringBuilder b = new StringBuilder(text.length());
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == ESC) {
                i = skipEscape(text, i + 1);
                continue;
            }
            if (c == CSI_8BIT) {
                i = skipCsi(text, i + 1);
                continue;
            }
            if (c == 0x90 || c == 0x98 || c == 0x9d || c == 0x9e || c == 0x9f) {
                i = skipString(text, i + 1); // DCS, SOS, OSC, PM, APC in their 8-bit form
                continue;
            }
            if (c == '\r') {
                b.append('\n');
                i += i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                b.append(c).append(text.charAt(i + 1));
                i += 2;
                continue;
            }
            if (Character.isSurrogate(c)) {
                b.append('\uFFFD');
            } else if (c == '\n' || c == '\t' || !unsafe(c)) {
                b.append(c);
            }
            i++;
        }
        return b.toString();
    }

    /** {@link #strip} and, in addition, every line break and tab made a space: for one-line fields such as titles. */
    public static String oneLine(String text) {
        return strip(text).replace('\n', ' ').replace('\t', ' ').trim();
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) // bidi embeddings, overrides, isolates
                || c == 0x200e || c == 0x200f || c == 0x061c; // direction marks
    }

    /** Index after the escape sequence whose ESC was just before {@code i}. */
    private static int skipEscape(String s, int i) {
        if (i >= s.length()) {
            return i;
        }
        char c = s.charAt(i);
        if (c == '[') {
            return skipCsi(s, i + 1);
        }
        if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
            return skipString(s, i + 1);
        }
        // nF sequences: intermediate bytes 0x20-0x2F, then one final byte.
        while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2f) {
            i++;
        }
        return Math.min(s.length(), i + 1);
    }

    /** CSI: parameter and intermediate bytes (0x20-0x3F), then a final byte 0x40-0x7E. */
    private static int skipCsi(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c >= 0x40 && c <= 0x7e) {
                return i;
            }
            if (c < 0x20 || c > 0x3f) {
                return i - 1 + (c == ESC ? 0 : 1); // a broken sequence: drop what was read, keep a new ESC
            }
        }
        return i;
    }

    /** A control string (OSC, DCS, ...): up to BEL, ST (ESC \) or 8-bit ST; to the end if unterminated. */
    private static int skipString(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == BEL || c == ST_8BIT) {
                return i;
            }
            if (c == ESC && i < s.length() && s.charAt(i) == '\\') {
                return i + 1;
            }
        }
        return i;
    }

    /**
     * The first words of {@code text} on one line, at most {@code max}
     * characters (cut at a word boundary where one is near, with "…"): what a
     * ticket's title shows of a user's report.
     */
    public static String firstWords(String text, int max) {
        String line = oneLine(text).replaceAll("\\s+", " ");
        if (line.length() <= max) {
            return line;
        }
        int space = line.lastIndexOf(' ', max - 1);
        return (space > max / 4 ? line.substring(0, space) : line.substring(0, max - 1)) + "…";
    }

    /** Result of {@link #cut}: the kept text and whether anything was cut off. */
    public record Cut(String text, boolean cut) {
    }

    /**
     * {@code text} cut to at most {@code maxBytes} of UTF-8, at a character
     * boundary; when it is cut, {@code note} (which must fit) replaces its end.
     */
    public static Cut cut(String text, int maxBytes, String note) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return new Cut(text, false);
        }
        int noteBytes = note.getBytes(StandardCharsets.UTF_8).length;
        int budget = Math.max(0, maxBytes - noteBytes);
        int end = budget;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--; // never split a character: back up to the start of the one at the boundary
        }
        return new Cut(new String(utf8, 0, end, StandardCharsets.UTF_8) + note, true);
    }
}

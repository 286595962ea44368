package io.firstline.agent.collect;

/**
 * Numbers in the text the kernel and system tools write ({@code /proc},
 * command output). Whatever the format does not promise is an
 * {@link IllegalStateException} naming the file, which the collector
 * reports as its failure: a failing collector is data, not a crash.
 */
final class ProcFormat {
    private ProcFormat() {
    }

    /** A counter or size: ASCII decimal digits only, 0 to {@link Long#MAX_VALUE}. */
    static long counter(String text, String file) {
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw unexpected(file, "'" + text + "' is not a counter");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw unexpected(file, "'" + text + "' is too large");
        }
    }

    /** A counter that fits an int (process ids, thread counts). */
    static int smallCounter(String text, String file) {
        long n = counter(text, file);
        if (n > Integer.MAX_VALUE) {
            throw unexpected(file, "'" + text + "' is too large");
        }
        return (int) n;
    }

    /** {@code a * b} of two counters, refused if it overflows. */
    static long times(long a, long b, String file) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw unexpected(file, a + " * " + b + " overflows");
        }
    }

    /** {@code a + b} of two counters, refused if it overflows. */
    static long plus(long a, long b, String file) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw unexpected(file, a + " + " + b + " overflows");
        }
    }

    /** Hexadecimal digits only, at most 16 of them: an address or flags. */
    static long hex(String text, String file) {
        String digits = text.startsWith("0x") ? text.substring(2) : text;
        if (digits.isEmpty() || digits.length() > 16 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
            throw unexpected(file, "'" + text + "' is not a hexadecimal number");
        }
        return Long.parseUnsignedLong(digits, 16);
    }

    static IllegalStateException unexpected(String file, String problem) {
        return new IllegalStateException("unexpected " + file + ": " + problem);
    }
}

package io.firstline.rules;

/** Shell-style globs over resource names: {@code *} any run, {@code ?} one character. */
final class Glob {
    private Glob() {
    }

    static boolean matches(String glob, String text) {
        return match(glob, 0, text, 0);
    }

    private static boolean match(String g, int gi, String t, int ti) {
        while (gi < g.length()) {
            char c = g.charAt(gi);
            if (c == '*') {
                for (int k = ti; k <= t.length(); k++) {
                    if (match(g, gi + 1, t, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (ti >= t.length() || (c != '?' && c != t.charAt(ti))) {
                return false;
            }
            gi++;
            ti++;
        }
        return ti == t.length();
    }
}

package io.firstline.console.kb;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What someone typed, reduced to words: runs of letters and digits in any
 * script, lower-cased, at most {@value #MAX_WORDS} of at most
 * {@value #MAX_WORD} characters. Quotes, {@code *}, parentheses, {@code NEAR(},
 * {@code OR}, {@code -} and {@code :} are never syntax: they separate words or
 * are words themselves, so no text can make a search fail. Each word matches
 * as a prefix ("dis" finds "disk").
 */
public record SearchQuery(List<String> words, boolean any) {
    static final int MAX_WORDS = 16;
    static final int MAX_WORD = 64;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    public SearchQuery {
        words = List.copyOf(words);
    }

    /** Every word must match (a person's search). */
    public static SearchQuery all(String text) {
        return new SearchQuery(words(text), false);
    }

    /** Any word may match, better with more (a ticket's text looking for articles). */
    public static SearchQuery any(String text) {
        return new SearchQuery(words(text), true);
    }

    static List<String> words(String text) {
        return words(text, MAX_WORDS);
    }

    static List<String> words(String text, int max) {
        if (text == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find() && out.size() < max) {
            String w = m.group();
            out.add(w.length() > MAX_WORD ? w.substring(0, MAX_WORD) : w);
        }
        return new ArrayList<>(out);
    }

    public boolean isEmpty() {
        return words.isEmpty();
    }

    /** The words joined by spaces: how searches are counted and shown. */
    public String normalized() {
        return String.join(" ", words);
    }

    /**
     * The query as an FTS5 expression: every word a quoted string with a
     * prefix star, joined by AND (implicit) or OR. A word holds only letters
     * and digits, so it cannot close its quotes.
     */
    String fts5() {
        List<String> terms = new ArrayList<>();
        for (String w : words) {
            terms.add("\"" + w + "\"*");
        }
        return String.join(any ? " OR " : " ", terms);
    }
}

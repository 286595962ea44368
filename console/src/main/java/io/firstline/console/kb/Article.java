package io.firstline.console.kb;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One knowledge-base article as stored: a slug id, the texts an engineer
 * reads (symptoms, cause and fix steps, all Markdown), the plain-language text
 * for the endpoint's user, tags, the rules it is linked to (in order), the
 * operating systems it applies to, draft or published, and its version, which
 * every edit raises by one. {@code sourceTicketId} is nullable (set for an
 * article drafted from a resolved ticket).
 */
public record Article(String id, String title, String symptoms, String cause, String fix, String userText,
                      List<String> tags, List<String> rules, List<String> os, Status status, int version,
                      String source, Long sourceTicketId, Instant createdAt, String createdBy, Instant updatedAt,
                      String updatedBy) {
    /** The largest article accepted, counted over all its texts in UTF-8. */
    public static final int MAX_BYTES = 256 * 1024;
    /** Operating systems an article may name. */
    public static final Set<String> OS = Set.of("linux", "windows", "macos");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,79}");
    private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    /** Path words under /api/kb/ that are not article ids. */
    static final Set<String> RESERVED = Set.of("stats", "preview", "new");

    public enum Status {
        DRAFT, PUBLISHED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status parse(String s) {
            for (Status v : values()) {
                if (v.label().equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("status must be draft or published, not \"" + s + "\"");
        }
    }

    public Article {
        checkSlug(id);
        title = nonNull(title).replace('\n', ' ');
        if (title.isBlank()) {
            throw new IllegalArgumentException("an article needs a title");
        }
        if (title.length() > 200) {
            throw new IllegalArgumentException("a title has at most 200 characters");
        }
        symptoms = nonNull(symptoms);
        cause = nonNull(cause);
        fix = nonNull(fix);
        userText = nonNull(userText);
        tags = words("tag", tags);
        rules = words("rule", rules);
        os = words("os", os);
        for (String o : os) {
            if (!OS.contains(o)) {
                throw new IllegalArgumentException("os must be linux, windows or macos, not \"" + o + "\"");
            }
        }
        if (status == null) {
            throw new IllegalArgumentException("status must be draft or published");
        }
        if (size(title, symptoms, cause, fix, userText, tags, rules) > MAX_BYTES) {
            throw new TooLargeException();
        }
    }

    /** Checks an article id: lower-case letters, digits and hyphens, 2-80 characters. */
    public static String checkSlug(String id) {
        if (id == null || !SLUG.matcher(id).matches() || RESERVED.contains(id)) {
            throw new IllegalArgumentException("an article id is 2-80 lower-case letters, digits and hyphens"
                    + " (not stats, preview or new), like kb-disk-cleanup");
        }
        return id;
    }

    /** The UTF-8 size of an article's texts, to refuse one over {@link #MAX_BYTES}. */
    static long size(String title, String symptoms, String cause, String fix, String userText, List<String> tags,
                     List<String> rules) {
        long n = 0;
        for (String s : new String[] {title, symptoms, cause, fix, userText, String.join(" ", tags), String.join(" ", rules)}) {
            n += s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }

    /** Trimmed, never null, without control characters other than newline and tab. */
    private static String nonNull(String s) {
        return s == null ? "" : CONTROL.matcher(s).replaceAll("").strip();
    }

    private static List<String> words(String what, List<String> in) {
        if (in == null) {
            return List.of();
        }
        return in.stream().map(w -> w == null ? "" : w.strip().toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty())
                .peek(w -> {
                    if (!WORD.matcher(w).matches()) {
                        throw new IllegalArgumentException(what + " \"" + w + "\" must be one word of letters, digits,"
                                + " '_', '.' or '-'");
                    }
                }).distinct().toList();
    }

    public boolean published() {
        return status == Status.PUBLISHED;
    }

    /** An article over {@link #MAX_BYTES}. */
    public static final class TooLargeException extends IllegalArgumentException {
        public TooLargeException() {
            super("an article may hold at most " + MAX_BYTES / 1024 + " KiB of text");
        }
    }
}

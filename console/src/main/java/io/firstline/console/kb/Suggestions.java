package io.firstline.console.kb;

import io.firstline.console.tickets.Ticket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ranked, explained article suggestions for a ticket, in three tiers:
 * <ol>
 * <li>articles linked to the ticket's rule, in the order the rule lists them
 *     (score 300 down);</li>
 * <li>full-text matches on the ticket's title, description, resource and the
 *     host's OS (score 200-299 by bm25 relevance relative to the best match);</li>
 * <li>articles that resolved tickets of this rule in the last
 *     {@value #LOOK_BACK_DAYS} days and stayed fixed (score 100-199 by count).</li>
 * </ol>
 * Within the first two tiers, such recent fixes break ties. Only published
 * articles for the host's OS (or for any OS) are suggested.
 */
public final class Suggestions {
    static final int LOOK_BACK_DAYS = 90;
    static final int MAX = 8;
    private static final int TEXT_MATCHES = 5;
    /** A text match must be at least this relevant compared with the best one. */
    private static final double MIN_RELATIVE = 0.2;
    private static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has",
            "in", "is", "it", "its", "of", "on", "or", "than", "that", "the", "this", "to", "was", "were", "will", "with",
            "machine", "now", "more", "no", "not", "up", "usually");

    /** One suggestion: which article, its score, and why in words. */
    public record Suggestion(String id, String title, double score, String reason) {
    }

    private final KnowledgeBase kb;

    public Suggestions(KnowledgeBase kb) {
        this.kb = kb;
    }

    /** @param osFamily the host's OS as the agent reports it ("Ubuntu", "Windows", "macOS"), or empty */
    public List<Suggestion> forTicket(Ticket t, String osFamily) {
        String os = osOf(osFamily);
        Map<String, Integer> fixes = kb.fixesForRule(t.ruleId(), Duration.ofDays(LOOK_BACK_DAYS));
        Map<String, Suggestion> out = new LinkedHashMap<>();
        List<Article> linked = kb.published(t.kbArticles());
        for (Article a : linked) {
            if (fits(a, os)) {
                int i = t.kbArticles().indexOf(a.id());
                out.put(a.id(), new Suggestion(a.id(), a.title(), 300 - i + tieBreak(fixes, a),
                        "linked to rule " + t.ruleId() + " (" + ordinal(i + 1) + " of " + t.kbArticles().size() + ")"
                                + fixed(fixes, a, t)));
            }
        }
        List<String> words = SearchQuery.words(t.title() + " " + t.description() + " " + t.resource() + " " + os, 200)
                .stream().filter(w -> !STOP.contains(w) && w.length() > 1).limit(SearchQuery.MAX_WORDS * 2).toList();
        SearchQuery q = new SearchQuery(words, true);
        List<KbSearch.Hit> hits = kb.matches(q, 50);
        double best = hits.isEmpty() ? 1 : hits.get(0).relevance();
        List<Article> matched = kb.published(hits.stream().map(KbSearch.Hit::articleId).toList());
        int n = 0;
        for (KbSearch.Hit h : hits) {
            Article a = matched.stream().filter(m -> m.id().equals(h.articleId())).findFirst().orElse(null);
            double rel = best <= 0 ? 0 : h.relevance() / best;
            if (a == null || out.containsKey(a.id()) || !fits(a, os) || rel < MIN_RELATIVE || n >= TEXT_MATCHES) {
                continue;
            }
            n++;
            out.put(a.id(), new Suggestion(a.id(), a.title(), 200 + Math.round(98 * rel) + tieBreak(fixes, a),
                    "matches the ticket's words " + String.join(", ", found(words, a)) + fixed(fixes, a, t)));
        }
        List<String> used = fixes.keySet().stream().filter(id -> !out.containsKey(id)).toList();
        for (Article a : kb.published(used)) {
            if (fits(a, os)) {
                out.put(a.id(), new Suggestion(a.id(), a.title(), 100 + Math.min(99, fixes.get(a.id())),
                        fixed(fixes, a, t).substring(2)));
            }
        }
        return out.values().stream().sorted(Comparator.comparingDouble(Suggestion::score).reversed()).limit(MAX).toList();
    }

    /** linux, windows or macos for an OS family as OSHI names it; empty when unknown. */
    static String osOf(String family) {
        String f = family == null ? "" : family.toLowerCase(Locale.ROOT);
        if (f.isEmpty()) {
            return "";
        }
        if (f.contains("windows")) {
            return "windows";
        }
        if (f.contains("mac") || f.contains("darwin")) {
            return "macos";
        }
        return "linux";
    }

    private static boolean fits(Article a, String os) {
        return os.isEmpty() || a.os().isEmpty() || a.os().contains(os);
    }

    /** Recent fixes of this rule as a fraction below one point, so they order articles within a tier. */
    private static double tieBreak(Map<String, Integer> fixes, Article a) {
        int f = fixes.getOrDefault(a.id(), 0);
        return f / (f + 1.0) * 0.9;
    }

    private static String fixed(Map<String, Integer> fixes, Article a, Ticket t) {
        int f = fixes.getOrDefault(a.id(), 0);
        return f == 0 ? "" : "; fixed " + f + " " + t.ruleId() + " ticket" + (f == 1 ? "" : "s") + " in the last "
                + LOOK_BACK_DAYS + " days";
    }

    /** The query words an article contains (as a word prefix). */
    private static List<String> found(List<String> words, Article a) {
        Set<String> have = new HashSet<>(List.of(String.join(" ", a.title(), a.symptoms(), a.cause(), a.fix(),
                a.userText(), String.join(" ", a.tags()), String.join(" ", a.rules())).toLowerCase(Locale.ROOT)
                .split("[^\\p{L}\\p{N}]+")));
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (have.stream().anyMatch(h -> h.startsWith(w) || w.startsWith(h) && h.length() >= 4)) {
                out.add("\"" + w + "\"");
            }
        }
        return out.isEmpty() ? List.of("(stemmed)") : out.subList(0, Math.min(5, out.size()));
    }

    private static String ordinal(int n) {
        return switch (n) {
            case 1 -> "1st";
            case 2 -> "2nd";
            case 3 -> "3rd";
            default -> n + "th";
        };
    }
}

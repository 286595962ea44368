package io.firstline.console.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.rules.RulesParser;
import io.firstline.console.rules.RulesService;
import io.firstline.rules.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped knowledge base covers the shipped rules, and every article is complete. */
class DefaultKbTest {
    static List<Rule> defaultRules() {
        return RulesParser.parse("default-rules.yaml", RulesService.defaultPackText()).rules();
    }

    static Set<String> shippedIds() {
        return DefaultKb.articles().stream().map(DefaultKb.Shipped::id).collect(Collectors.toSet());
    }

    /** The kb ids that {@code rules} name and {@code shipped} lacks, with the rule that names each. */
    static Set<String> missing(List<Rule> rules, Set<String> shipped) {
        Set<String> missing = new TreeSet<>();
        for (Rule r : rules) {
            for (String kb : r.text().kbArticles()) {
                if (!shipped.contains(kb)) {
                    missing.add(kb + " (rule " + r.id() + ")");
                }
            }
        }
        return missing;
    }

    @Test
    void everyArticleADefaultRuleReferencesIsShipped() {
        Set<String> missing = missing(defaultRules(), shippedIds());
        assertTrue(missing.isEmpty(), "default rules reference articles that are not shipped: " + missing);
    }

    @Test
    void everyShippedArticleIsCompleteAndLinksBackToTheRulesThatNameIt() {
        Map<String, DefaultKb.Shipped> byId = DefaultKb.articles().stream()
                .collect(Collectors.toMap(DefaultKb.Shipped::id, Function.identity()));
        List<String> problems = new ArrayList<>();
        for (DefaultKb.Shipped s : byId.values()) {
            ArticleEdit e = s.edit();
            // Building the article runs every check an edit gets (slug, words, OS names, size).
            new Article(s.id(), e.title(), e.symptoms(), e.cause(), e.fix(), e.userText(), e.tags(), e.rules(), e.os(),
                    e.status(), 1, "shipped", null, java.time.Instant.EPOCH, "t", java.time.Instant.EPOCH, "t");
            for (String[] f : new String[][] {{"symptoms", e.symptoms()}, {"cause", e.cause()}, {"fix", e.fix()},
                    {"user_text", e.userText()}}) {
                if (f[1].isBlank()) {
                    problems.add(s.id() + " has no " + f[0]);
                }
            }
            if (!e.fix().contains("Safe checks first")) {
                problems.add(s.id() + ": the fix should start with safe checks");
            }
            if (e.os().isEmpty() || e.tags().isEmpty() || e.rules().isEmpty()) {
                problems.add(s.id() + " needs os, tags and rules");
            }
            if (e.userText().contains("`") || e.userText().contains("sudo")) {
                problems.add(s.id() + ": the user text should be plain language");
            }
        }
        for (Rule r : defaultRules()) {
            for (String kb : r.text().kbArticles()) {
                if (byId.containsKey(kb) && !byId.get(kb).edit().rules().contains(r.id())) {
                    problems.add(kb + " does not list rule " + r.id() + " that links to it");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertFalse(byId.isEmpty());
    }

    @Test
    void aRuleNamingAnArticleThatIsNotShippedIsCaught() {
        String pack = RulesService.defaultPackText().replace("kb: [kb-inodes]", "kb: [kb-inodes, kb-no-such-article]");
        Set<String> missing = missing(RulesParser.parse("changed.yaml", pack).rules(), shippedIds());
        assertEquals(Set.of("kb-no-such-article (rule inodes_almost_exhausted)"), missing);
    }
}

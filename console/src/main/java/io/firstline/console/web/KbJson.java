package io.firstline.console.web;

import io.firstline.console.kb.Article;
import io.firstline.console.kb.KbSearch;
import io.firstline.console.kb.KnowledgeBase;
import io.firstline.console.kb.Markdown;
import io.firstline.console.kb.Suggestions;
import io.firstline.console.kb.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of knowledge-base articles, search results and suggestions. */
final class KbJson {
    private KbJson() {
    }

    static Map<String, Object> summary(Article a, Usage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("title", a.title());
        m.put("tags", a.tags());
        m.put("rules", a.rules());
        m.put("os", a.os());
        m.put("status", a.status().label());
        m.put("version", a.version());
        m.put("updatedAt", a.updatedAt());
        m.put("updatedBy", a.updatedBy());
        m.put("usedCount", u.used());
        m.put("fixedCount", u.fixed());
        m.put("pendingCount", u.pending());
        return m;
    }

    static Map<String, Object> result(KnowledgeBase.Result r) {
        Map<String, Object> m = summary(r.article(), r.usage());
        m.put("score", Math.round(r.relevance() * 1000) / 1000.0);
        m.put("snippet", r.snippet().stream().map(KbJson::part).toList());
        return m;
    }

    private static Map<String, Object> part(KbSearch.Part p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", p.text());
        m.put("match", p.match());
        return m;
    }

    /**
     * The whole article. {@code html} holds symptoms, cause and fix rendered
     * from Markdown with raw HTML escaped and unsafe links removed
     * ({@link Markdown}), ready to insert into a page.
     */
    static Map<String, Object> detail(Article a, Usage u) {
        Map<String, Object> m = summary(a, u);
        m.put("symptoms", a.symptoms());
        m.put("cause", a.cause());
        m.put("fix", a.fix());
        m.put("userText", a.userText());
        m.put("source", a.source());
        m.put("sourceTicketId", a.sourceTicketId());
        m.put("createdAt", a.createdAt());
        m.put("createdBy", a.createdBy());
        Map<String, Object> html = new LinkedHashMap<>();
        html.put("symptoms", Markdown.html(a.symptoms()));
        html.put("cause", Markdown.html(a.cause()));
        html.put("fix", Markdown.html(a.fix()));
        m.put("html", html);
        return m;
    }

    static List<Map<String, Object>> suggestions(List<Suggestions.Suggestion> list) {
        return list.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("title", s.title());
            m.put("score", Math.round(s.score() * 10) / 10.0);
            m.put("reason", s.reason());
            return m;
        }).toList();
    }
}

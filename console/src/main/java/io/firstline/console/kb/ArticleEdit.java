package io.firstline.console.kb;

import java.util.List;

/**
 * What a person sends to create or change an article. A null field keeps the
 * article's current value (on create: empty, status draft).
 */
public record ArticleEdit(String title, String symptoms, String cause, String fix, String userText, List<String> tags,
                          List<String> rules, List<String> os, Article.Status status) {
    public static final ArticleEdit NONE = new ArticleEdit(null, null, null, null, null, null, null, null, null);

    /** The UTF-8 size of the texts this edit sets. */
    long size() {
        return Article.size(title, symptoms, cause, fix, userText, tags == null ? List.of() : tags,
                rules == null ? List.of() : rules);
    }
}

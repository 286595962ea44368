package io.firstline.console.kb;

import java.time.Instant;

/** One entry of an article's edit history: which version, when, who, what changed (a JSON object), and a note. */
public record ArticleChange(int version, Instant at, String actor, String changes, String note) {
}

package io.firstline.console.kb;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The full-text index of the knowledge base, which each SQL dialect builds
 * its own way (SQLite: FTS5 with bm25; PostgreSQL: tsvector with ts_rank).
 * It is kept current by the dialect's own migration (triggers), so only
 * searching is here. The knowledge base picks one by {@code Store.dialect()}.
 */
public interface KbSearch {
    /** A part of a snippet: text, and whether it is a matched word. */
    record Part(String text, boolean match) {
    }

    /** A matching article: its id, relevance (higher is better, above zero) and a highlighted snippet. */
    record Hit(String articleId, double relevance, List<Part> snippet) {
    }

    /** The best matches first, at most {@code limit}; an empty query finds nothing. */
    List<Hit> search(Connection c, SearchQuery query, int limit) throws SQLException;

    static KbSearch forDialect(String dialect) {
        if (dialect.equals("sqlite")) {
            return new Fts5Search();
        }
        if (dialect.equals("postgresql")) {
            return new PgSearch();
        }
        throw new IllegalStateException("no knowledge-base search for the " + dialect + " store yet");
    }
}

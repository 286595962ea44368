package io.firstline.console.kb;

import io.firstline.console.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Knowledge-base search on PostgreSQL: the weighted tsvector column of
 * migration db/postgresql/V101. Relevance is bm25-like, as FTS5's is on
 * SQLite: each matched word counts by the weight of the best column it is in
 * (title 10, tags and rules 6, symptoms and cause 4, the rest 1, as FTS5's
 * weights), saturated as bm25 saturates term frequency, times its rarity
 * across the articles (inverse document frequency), so one rare word can
 * count for more than several common ones. Every word is a prefix match;
 * snippets come from ts_headline with the marks {@link Fts5Search#parts} splits.
 */
final class PgSearch implements KbSearch {
    private static final String SQL = "WITH words AS ("
            + "   SELECT to_tsquery('english', w || ':*') || to_tsquery('simple', w || ':*') AS q"
            + "   FROM unnest(string_to_array(?, ' ')) AS w),"
            + " df AS (SELECT q, (SELECT count(*) FROM kb_articles WHERE search @@ q) AS n FROM words),"
            + " total AS (SELECT count(*)::float8 AS n FROM kb_articles),"
            + " hits AS (SELECT a.id, SUM(ln(1 + (total.n - df.n + 0.5) / (df.n + 0.5)) * w.f * 2.2 / (w.f + 1.2)) AS relevance"
            + "   FROM kb_articles a JOIN df ON a.search @@ df.q CROSS JOIN total"
            + "   CROSS JOIN LATERAL (SELECT CASE WHEN ts_filter(a.search, '{a}') @@ df.q THEN 10"
            + "     WHEN ts_filter(a.search, '{b}') @@ df.q THEN 6 WHEN ts_filter(a.search, '{c}') @@ df.q THEN 4 ELSE 1 END AS f) w"
            + "   GROUP BY a.id HAVING COUNT(*) >= ? ORDER BY 2 DESC, a.id LIMIT ?)"
            + " SELECT hits.id, hits.relevance, ts_headline('english', concat_ws(' ', a.symptoms, a.cause, a.fix, a.user_text),"
            + "   to_tsquery('english', ?) || to_tsquery('simple', ?),"
            + "   'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=16, MinWords=6, FragmentDelimiter=…')"
            + " FROM hits JOIN kb_articles a ON a.id = hits.id ORDER BY hits.relevance DESC, hits.id";

    @Override
    public List<Hit> search(Connection c, SearchQuery query, int limit) throws SQLException {
        if (query.isEmpty()) {
            return List.of();
        }
        String any = tsquery(query.words(), " | ");
        return Sql.list(c, SQL, rs -> new Hit(rs.getString(1), Math.max(rs.getDouble(2), 1e-9), Fts5Search.parts(rs.getString(3))),
                String.join(" ", query.words()), query.any() ? 1 : query.words().size(), limit, any, any);
    }

    /** Every word a prefix match; words hold only letters and digits, so they are never syntax. */
    static String tsquery(List<String> words, String operator) {
        List<String> terms = new ArrayList<>();
        for (String w : words) {
            terms.add(w + ":*");
        }
        return String.join(operator, terms);
    }
}

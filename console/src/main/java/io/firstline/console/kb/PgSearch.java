package io.firstline.console.kb;

import io.firstline.console.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Knowledge-base search on PostgreSQL: the weighted tsvector column of
 * migration db/postgresql/V101, ranked by ts_rank (title weighted most, as
 * FTS5's bm25 weights do on SQLite), snippets by ts_headline with the same
 * marks {@link Fts5Search#parts} splits.
 */
final class PgSearch implements KbSearch {
    private static final String SQL = "SELECT id, ts_rank('{0.1, 0.3, 0.6, 1.0}', search, q),"
            + " ts_headline('english', concat_ws(' ', symptoms, cause, fix, user_text), q,"
            + "   'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=16, MinWords=6, FragmentDelimiter=…')"
            + " FROM kb_articles, to_tsquery('english', ?) q WHERE search @@ q ORDER BY 2 DESC, id LIMIT ?";

    @Override
    public List<Hit> search(Connection c, SearchQuery query, int limit) throws SQLException {
        if (query.isEmpty()) {
            return List.of();
        }
        return Sql.list(c, SQL, rs -> new Hit(rs.getString(1), Math.max(rs.getDouble(2), 1e-9), Fts5Search.parts(rs.getString(3))),
                tsquery(query), limit);
    }

    /** Every word a prefix match, joined by AND or OR; words hold only letters and digits, so they are never syntax. */
    static String tsquery(SearchQuery query) {
        List<String> terms = new ArrayList<>();
        for (String w : query.words()) {
            terms.add(w + ":*");
        }
        return String.join(query.any() ? " | " : " & ", terms);
    }
}

package io.firstline.console.kb;

import io.firstline.console.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Knowledge-base search on SQLite's FTS5 table {@code kb_fts} (migration
 * db/sqlite/V101): ranked by bm25 with the title weighted most, then tags and
 * linked rules, then symptoms, cause and fix; snippets from the best column.
 */
final class Fts5Search implements KbSearch {
    /** Marks around matched words in FTS5 snippets; control characters are stripped from article text first. */
    private static final char OPEN = '\u0001';
    private static final char CLOSE = '\u0002';
    private static final String SQL = "SELECT article_id, bm25(kb_fts, 0.0, 10.0, 6.0, 6.0, 4.0, 2.0, 1.0, 1.0),"
            + " snippet(kb_fts, -1, char(1), char(2), '…', 16)"
            + " FROM kb_fts WHERE kb_fts MATCH ? ORDER BY 2 LIMIT ?";

    @Override
    public List<Hit> search(Connection c, SearchQuery query, int limit) throws SQLException {
        if (query.isEmpty()) {
            return List.of();
        }
        return Sql.list(c, SQL, rs -> new Hit(rs.getString(1), -rs.getDouble(2), parts(rs.getString(3))), query.fts5(), limit);
    }

    /** Splits an FTS5 snippet at its marks into plain and matched parts. */
    static List<Part> parts(String snippet) {
        List<Part> out = new ArrayList<>();
        if (snippet == null) {
            return out;
        }
        StringBuilder b = new StringBuilder();
        boolean match = false;
        for (int i = 0; i < snippet.length(); i++) {
            char ch = snippet.charAt(i);
            if (ch == OPEN || ch == CLOSE) {
                if (b.length() > 0) {
                    out.add(new Part(b.toString(), match));
                    b.setLength(0);
                }
                match = ch == OPEN;
            } else if (ch >= ' ' || ch == '\n' || ch == '\t') {
                b.append(ch == '\n' || ch == '\t' ? ' ' : ch);
            }
        }
        if (b.length() > 0) {
            out.add(new Part(b.toString(), match));
        }
        return out;
    }
}

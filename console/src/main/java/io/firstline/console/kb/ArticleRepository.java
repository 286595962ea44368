package io.firstline.console.kb;

import io.firstline.console.store.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Portable SQL over the knowledge-base tables (V100): articles, their
 * history and their use on tickets. The full-text index is not here but in
 * the dialect's {@link KbSearch}.
 */
final class ArticleRepository {
    private ArticleRepository() {
    }

    private static final String COLUMNS = "id, title, symptoms, cause, fix, user_text, tags, rules, os, status, version, source,"
            + " source_ticket_id, created_at_ms, created_by, updated_at_ms, updated_by";

    static Optional<Article> get(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM kb_articles WHERE id = ?", ArticleRepository::article, id);
    }

    static boolean exists(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT 1 FROM kb_articles WHERE id = ?", rs -> 1, id).isPresent();
    }

    /** Every article, newest change first. */
    static List<Article> all(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM kb_articles ORDER BY updated_at_ms DESC, id", ArticleRepository::article);
    }

    static List<Article> byIds(Connection c, List<String> ids) throws SQLException {
        List<Article> out = new ArrayList<>();
        for (String id : ids) {
            get(c, id).ifPresent(out::add);
        }
        return out;
    }

    static void insert(Connection c, Article a) throws SQLException {
        Sql.update(c, "INSERT INTO kb_articles (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                a.id(), a.title(), a.symptoms(), a.cause(), a.fix(), a.userText(), join(a.tags()), join(a.rules()),
                join(a.os()), a.status().label(), a.version(), a.source(), a.sourceTicketId(), a.createdAt().toEpochMilli(),
                a.createdBy(), a.updatedAt().toEpochMilli(), a.updatedBy());
    }

    /** Replaces the stored version {@code a.version() - 1}; false when another edit got there first. */
    static boolean update(Connection c, Article a) throws SQLException {
        return Sql.update(c, "UPDATE kb_articles SET title = ?, symptoms = ?, cause = ?, fix = ?, user_text = ?, tags = ?,"
                        + " rules = ?, os = ?, status = ?, version = ?, updated_at_ms = ?, updated_by = ?"
                        + " WHERE id = ? AND version = ?",
                a.title(), a.symptoms(), a.cause(), a.fix(), a.userText(), join(a.tags()), join(a.rules()), join(a.os()),
                a.status().label(), a.version(), a.updatedAt().toEpochMilli(), a.updatedBy(), a.id(), a.version() - 1) == 1;
    }

    static void history(Connection c, String id, int version, Instant at, String actor, String changesJson, String note)
            throws SQLException {
        Sql.update(c, "INSERT INTO kb_history (article_id, version, at_ms, actor, changes, note) VALUES (?, ?, ?, ?, ?, ?)",
                id, version, at.toEpochMilli(), actor, changesJson, note);
    }

    static List<ArticleChange> history(Connection c, String id) throws SQLException {
        return Sql.list(c, "SELECT version, at_ms, actor, changes, note FROM kb_history WHERE article_id = ? ORDER BY version DESC, id DESC",
                rs -> new ArticleChange(rs.getInt(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5)), id);
    }

    static void use(Connection c, String articleId, long ticketId, String ruleId, Instant at, String actor, boolean resolved)
            throws SQLException {
        Sql.update(c, "INSERT INTO kb_usage (article_id, ticket_id, rule_id, at_ms, actor, resolved_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                articleId, ticketId, ruleId, at.toEpochMilli(), actor, resolved ? at.toEpochMilli() : null);
    }

    /** Resolved with, and no reopen of the ticket within the window after. */
    private static final String NOT_REOPENED = "u.resolved_at_ms IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ticket_events e"
            + " WHERE e.ticket_id = u.ticket_id AND e.kind = 'reopened' AND e.at_ms >= u.resolved_at_ms"
            + " AND e.at_ms <= u.resolved_at_ms + ?)";

    /**
     * Use counts by article: attached to a ticket; resolved with it and not
     * reopened within {@code window} (fixed); resolved with it, window not yet
     * over (pending).
     */
    static Map<String, Usage> usage(Connection c, Duration window, Instant now) throws SQLException {
        long w = window.toMillis();
        Map<String, Usage> m = new HashMap<>();
        for (Object[] r : Sql.list(c, "SELECT u.article_id, COUNT(*),"
                        + " SUM(CASE WHEN " + NOT_REOPENED + " AND u.resolved_at_ms + ? <= ? THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN " + NOT_REOPENED + " AND u.resolved_at_ms + ? > ? THEN 1 ELSE 0 END)"
                        + " FROM kb_usage u GROUP BY u.article_id",
                rs -> new Object[] {rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)},
                w, w, now.toEpochMilli(), w, w, now.toEpochMilli())) {
            m.put((String) r[0], new Usage((Integer) r[1], (Integer) r[2], (Integer) r[3]));
        }
        return m;
    }

    /** How many tickets of {@code ruleId} each article resolved since {@code since}, not reopened within the window. */
    static Map<String, Integer> fixesForRule(Connection c, String ruleId, Instant since, Duration window) throws SQLException {
        Map<String, Integer> m = new HashMap<>();
        for (Object[] r : Sql.list(c, "SELECT u.article_id, COUNT(*) FROM kb_usage u WHERE u.rule_id = ? AND u.resolved_at_ms >= ?"
                        + " AND " + NOT_REOPENED + " GROUP BY u.article_id",
                rs -> new Object[] {rs.getString(1), rs.getInt(2)}, ruleId, since.toEpochMilli(), window.toMillis())) {
            m.put((String) r[0], (Integer) r[1]);
        }
        return m;
    }

    static long search(Connection c, Instant at, String actor, String query, int results) throws SQLException {
        return Sql.insert(c, "INSERT INTO kb_searches (at_ms, actor, query, results) VALUES (?, ?, ?, ?)",
                at.toEpochMilli(), actor, query, results);
    }

    /** Replaces the query of a search still being typed (the same person refining it). */
    static void refineSearch(Connection c, long id, Instant at, String query, int results) throws SQLException {
        Sql.update(c, "UPDATE kb_searches SET at_ms = ?, query = ?, results = ? WHERE id = ? AND opened_article IS NULL",
                at.toEpochMilli(), query, results, id);
    }

    static void searchAnswered(Connection c, long searchId, String articleId) throws SQLException {
        Sql.update(c, "UPDATE kb_searches SET opened_article = ? WHERE id = ? AND opened_article IS NULL", articleId, searchId);
    }

    static List<UnansweredSearch> unanswered(Connection c, int limit) throws SQLException {
        return Sql.list(c, "SELECT query, COUNT(*), MAX(at_ms), MIN(results) FROM kb_searches WHERE opened_article IS NULL"
                        + " GROUP BY query ORDER BY COUNT(*) DESC, MAX(at_ms) DESC LIMIT ?",
                rs -> new UnansweredSearch(rs.getString(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getInt(4)), limit);
    }

    private static Article article(ResultSet rs) throws SQLException {
        return new Article(rs.getString("id"), rs.getString("title"), rs.getString("symptoms"), rs.getString("cause"),
                rs.getString("fix"), rs.getString("user_text"), split(rs.getString("tags")), split(rs.getString("rules")),
                split(rs.getString("os")), Article.Status.parse(rs.getString("status")), rs.getInt("version"),
                rs.getString("source"), Sql.longOrNull(rs, "source_ticket_id"), Instant.ofEpochMilli(rs.getLong("created_at_ms")),
                rs.getString("created_by"), Instant.ofEpochMilli(rs.getLong("updated_at_ms")), rs.getString("updated_by"));
    }

    private static String join(List<String> words) {
        return String.join(" ", words);
    }

    static List<String> split(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}

package io.firstline.console.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies the embedded store into an empty PostgreSQL store whose schema is
 * at the same version ({@code firstline-console migrate-store}): every table
 * in {@link #TABLES}, in that order (a row's references are copied before
 * it), rows in the order SQLite keeps them, ids as they are; then each
 * identity column continues after the highest id copied. The copy is one
 * PostgreSQL transaction: it lands whole or not at all.
 *
 * <p>A new migration that adds a table must add it here (or to
 * {@link #NOT_COPIED} with the reason): {@code StoreMigrationTest} compares
 * this list with the tables both stores' migrations make, and a copy refuses
 * to start when the source holds a table this list does not name.
 */
public final class StoreMigration {
    /** Every table of the schema, each after the tables it references. */
    public static final List<String> TABLES = List.of(
            "users", "sessions", "api_tokens",
            "enrollment_tokens", "enrolled_agents", "revoked_certificates", "audit_log",
            "fleet_agents",
            "tickets", "faults", "fault_events_applied", "ticket_events", "maintenance_windows", "notification_outbox",
            "kb_articles", "kb_history", "kb_usage", "kb_searches",
            "user_reports", "intake_tokens",
            "diagnostics", "diagnostic_chunks",
            "report_digests",
            "console_cluster", "console_nodes", "fleet_presence", "fleet_presence_clock", "agent_ledgers", "console_leases");

    /**
     * Tables that are not copied: each store's own migration history, SQLite's
     * bookkeeping, and SQLite's full-text index of the knowledge base (FTS5 and
     * its shadow tables), which PostgreSQL computes from kb_articles itself.
     */
    public static final Set<String> NOT_COPIED = Set.of("flyway_schema_history", "sqlite_sequence",
            "kb_fts", "kb_fts_data", "kb_fts_idx", "kb_fts_content", "kb_fts_docsize", "kb_fts_config");

    /** Rows per INSERT batch. */
    static final int BATCH = 500;

    /** Where a copy stands, for the progress line. */
    @FunctionalInterface
    public interface Progress {
        void rows(String table, long done, long total);
    }

    /** A copy that cannot start: the message says what is wrong. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private StoreMigration() {
    }

    /** The base tables of the database {@code c} is connected to (its current schema on PostgreSQL). */
    public static Set<String> tables(Connection c) throws SQLException {
        String sql = c.getMetaData().getDatabaseProductName().toLowerCase().contains("sqlite")
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
        return new TreeSet<>(Sql.list(c, sql, rs -> rs.getString(1)));
    }

    /** The tables of {@code c} (other than Flyway's history) that hold at least one row. */
    public static List<String> tablesWithRows(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String t : tables(c)) {
            if (!t.equals("flyway_schema_history")
                    && Sql.one(c, "SELECT 1 FROM " + quote(t) + " LIMIT 1", rs -> rs.getInt(1)).isPresent()) {
                out.add(t);
            }
        }
        return out;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * Copies every table from {@code source} (inside its read transaction) into {@code target}.
     *
     * @return the rows copied per table, in copy order
     * @throws Refused when the source holds a table this copy does not know
     */
    public static Map<String, Long> copy(Connection source, Store target, Progress progress) {
        try {
            Set<String> unknown = new TreeSet<>(tables(source));
            unknown.removeAll(TABLES);
            unknown.removeAll(NOT_COPIED);
            if (!unknown.isEmpty()) {
                throw new Refused("the source store has table(s) " + unknown + " that this migrate-store does not know how to copy:"
                        + " use the firstline-console.jar of the version that made the store");
            }
            Map<String, Long> totals = counts(source);
            return target.write(c -> {
                Map<String, Long> copied = new LinkedHashMap<>();
                for (String t : TABLES) {
                    copied.put(t, copyTable(source, c, t, totals.get(t), progress));
                    continueIdentities(c, t);
                }
                return copied;
            });
        } catch (SQLException e) {
            throw new StoreException("reading the source store failed", e);
        }
    }

    private static long copyTable(Connection source, Connection target, String table, long total, Progress progress)
            throws SQLException {
        List<String> columns = Sql.list(source, "SELECT name FROM pragma_table_info('" + table + "')", rs -> rs.getString(1));
        Map<String, String> types = targetColumns(target, table);
        for (String col : columns) {
            if (!types.containsKey(col)) {
                throw new Refused("the target has no column " + table + "." + col + ": its schema is not the source's");
            }
        }
        String list = String.join(", ", columns);
        String insert = "INSERT INTO " + table + " (" + list + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
        long done = 0;
        try (Statement select = source.createStatement();
             ResultSet rs = select.executeQuery("SELECT " + list + " FROM " + table + " ORDER BY rowid");
             PreparedStatement ins = target.prepareStatement(insert)) {
            while (rs.next()) {
                for (int i = 0; i < columns.size(); i++) {
                    bind(ins, i + 1, rs, types.get(columns.get(i)), table + "." + columns.get(i));
                }
                ins.addBatch();
                if (++done % BATCH == 0) {
                    ins.executeBatch();
                    progress.rows(table, done, total);
                }
            }
            ins.executeBatch();
        }
        progress.rows(table, done, total);
        return done;
    }

    /** The columns the target may be given (generated ones excluded), with their types. */
    private static Map<String, String> targetColumns(Connection target, String table) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] col : Sql.list(target, "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, table)) {
            out.put(col[0], col[1]);
        }
        if (out.isEmpty()) {
            throw new Refused("the target has no table " + table + ": its schema is not the source's");
        }
        return out;
    }

    /** One value, read as the target column's type (SQLite keeps whatever it was given; PostgreSQL checks). */
    private static void bind(PreparedStatement ins, int i, ResultSet rs, String type, String column) throws SQLException {
        switch (type) {
            case "bigint", "integer", "smallint" -> {
                long v = rs.getLong(i);
                if (rs.wasNull()) {
                    ins.setNull(i, Types.BIGINT);
                } else {
                    ins.setLong(i, v);
                }
            }
            case "double precision", "real" -> {
                double v = rs.getDouble(i);
                if (rs.wasNull()) {
                    ins.setNull(i, Types.DOUBLE);
                } else {
                    ins.setDouble(i, v);
                }
            }
            case "text", "character varying" -> ins.setString(i, rs.getString(i));
            case "bytea" -> ins.setBytes(i, rs.getBytes(i));
            default -> throw new Refused("cannot copy " + column + ": no conversion to the target's type " + type);
        }
    }

    /** Identity columns go on after the highest id copied (not from 1, which the next insert would collide with). */
    private static void continueIdentities(Connection target, String table) throws SQLException {
        List<String> identities = Sql.list(target, "SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'YES'", rs -> rs.getString(1), table);
        for (String col : identities) {
            Sql.one(target, "SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(" + col + ") FROM " + table
                    + "), 0) + 1, false)", rs -> rs.getLong(1), table, col);
        }
    }

    /** Rows per table in {@code c}, for checking a copy. */
    public static Map<String, Long> counts(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : TABLES) {
            out.put(t, Sql.one(c, "SELECT COUNT(*) FROM " + t, rs -> rs.getLong(1)).orElseThrow());
        }
        return out;
    }
}

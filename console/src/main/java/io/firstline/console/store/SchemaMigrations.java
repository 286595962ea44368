package io.firstline.console.store;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Flyway for both stores, with one exception to its strict order.
 * Version numbers are handed out per feature, so a feature can land after a
 * higher-numbered one: V130 (diagnostics) reached main after V150, V151,
 * V190 and V191, and a store made by a build in between has those applied and
 * not V130, which Flyway refuses ("resolved migration not applied").
 *
 * <p>Flyway's {@code outOfOrder} would apply any such migration, including one
 * that depends on or undoes a later one: this store applies late only the
 * versions listed in {@link #STANDALONE}, each checked to create only new
 * tables and indexes that no later migration touches. Any other missing
 * version is refused with a message naming it, as Flyway would.
 */
final class SchemaMigrations {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    /**
     * Versions that may be applied after higher ones: they only create tables and indexes of their own
     * (V130: diagnostics, diagnostic_chunks and their indexes; nothing after it names them).
     */
    static final Set<String> STANDALONE = Set.of("130");

    private SchemaMigrations() {
    }

    /**
     * Migrates to the latest version this console knows.
     *
     * @param where the store, for messages
     * @throws IllegalStateException when the store lacks a migration older than its schema that may not be applied late
     */
    static MigrateResult migrate(FluentConfiguration cfg, String where) {
        List<String> late = late(cfg.load());
        if (late.isEmpty()) {
            return cfg.load().migrate();
        }
        List<String> refused = late.stream().filter(v -> !STANDALONE.contains(v)).toList();
        if (!refused.isEmpty()) {
            throw new IllegalStateException("the store " + where + " lacks migration(s) V" + String.join(", V", refused)
                    + " although later ones are applied, and they are not known to be safe to apply late: restore a backup"
                    + " made by the build that created it, or ask the Firstline developers");
        }
        log.warn("the store {} lacks migration(s) V{} although later ones are applied (made by a build in between);"
                + " applying them now: they only add tables of their own", where, String.join(", V", late));
        return cfg.outOfOrder(true).load().migrate();
    }

    /** Versions this console has that the store did not apply although it applied later ones. */
    static List<String> late(Flyway flyway) {
        return Arrays.stream(flyway.info().all()).filter(m -> m.getState() == MigrationState.IGNORED && m.getVersion() != null)
                .map(MigrationInfo::getVersion).map(v -> v.getVersion()).toList();
    }
}

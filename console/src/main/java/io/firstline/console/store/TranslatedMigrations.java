package io.firstline.console.store;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Flyway's migration files as the PostgreSQL store runs them: the portable
 * ones ({@code db/migration}) through {@link PortableSql#forPostgresql}, the
 * dialect's own ({@code db/postgresql}) as written.
 */
final class TranslatedMigrations implements ResourceProvider {
    private final ResourceProvider files;

    TranslatedMigrations(ResourceProvider files) {
        this.files = files;
    }

    @Override
    public LoadableResource getResource(String name) {
        LoadableResource r = files.getResource(name);
        return r == null ? null : translated(r);
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return files.getResources(prefix, suffixes).stream().map(TranslatedMigrations::translated).toList();
    }

    private static LoadableResource translated(LoadableResource r) {
        String path = r.getAbsolutePath().replace('\\', '/');
        if (!path.contains("db/migration/") || !path.endsWith(".sql")) {
            return r;
        }
        return new LoadableResource() {
            @Override
            public Reader read() {
                StringWriter text = new StringWriter();
                try (Reader in = r.read()) {
                    in.transferTo(text);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read migration " + path, e);
                }
                try {
                    return new StringReader(PortableSql.forPostgresql(text.toString()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
                }
            }

            @Override
            public String getAbsolutePath() {
                return r.getAbsolutePath();
            }

            @Override
            public String getAbsolutePathOnDisk() {
                return r.getAbsolutePathOnDisk();
            }

            @Override
            public String getFilename() {
                return r.getFilename();
            }

            @Override
            public String getRelativePath() {
                return r.getRelativePath();
            }
        };
    }

    static List<String> locations() {
        return List.of("classpath:db/migration", "classpath:db/postgresql");
    }
}

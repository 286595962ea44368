package io.firstline.console.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the console keeps its data: the {@code store:} section of
 * console.yaml. Absent (or {@link #EMBEDDED}) means the embedded SQLite file
 * in the data directory; otherwise a PostgreSQL JDBC URL, a user and,
 * optionally, a file holding the password (none for trust or peer
 * authentication). The password never sits in console.yaml itself.
 */
public record StoreSettings(String url, String user, Optional<Path> passwordFile) {
    public static final StoreSettings EMBEDDED = new StoreSettings("", "", Optional.empty());
    public static final String POSTGRESQL_PREFIX = "jdbc:postgresql://";

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(passwordFile, "passwordFile");
        if (!url.isEmpty() && !url.startsWith(POSTGRESQL_PREFIX)) {
            throw new IllegalArgumentException("must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.example:5432/firstline, got '"
                    + url + "'");
        }
    }

    /** A PostgreSQL store at {@code url} as {@code user}, without a password. */
    public static StoreSettings postgresql(String url, String user) {
        return new StoreSettings(url, user, Optional.empty());
    }

    /** True for the embedded SQLite store. */
    public boolean embedded() {
        return url.isEmpty();
    }

    /** The password from {@link #passwordFile} (its first line), or empty. */
    public String password() {
        if (passwordFile.isEmpty()) {
            return "";
        }
        Path f = passwordFile.get();
        try {
            String text = Files.readString(f);
            int nl = text.indexOf('\n');
            return (nl >= 0 ? text.substring(0, nl) : text).strip();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("store.passwordFile " + f + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("store.passwordFile " + f + ": cannot read: " + e.getMessage());
        }
    }

    /** The URL without anything that could carry a secret (query parameters), for logs and messages. */
    public String describe() {
        if (embedded()) {
            return "embedded SQLite";
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}

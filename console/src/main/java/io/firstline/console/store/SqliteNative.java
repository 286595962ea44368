package io.firstline.console.store;

import io.firstline.files.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Where the SQLite JDBC driver's native library lives: {@code DATA/native/}
 * (0700), one copy named by its content hash, which sqlite-jdbc is told to
 * load ({@code org.sqlite.lib.path}) instead of extracting a fresh copy with
 * a random name into a temporary directory on every start. A kill -9 used to
 * leave each such copy behind; now every start removes any other copy, and
 * the ones older versions left in the data directory itself.
 *
 * <p>Several processes (the console and an admin command) may prepare the
 * same directory at once: the file is written to a temporary name and moved
 * into place, and a library already loaded stays mapped if it is replaced.
 */
final class SqliteNative {
    private static final Logger log = LoggerFactory.getLogger(SqliteNative.class);
    static final String DIR = "native";

    private SqliteNative() {
    }

    /** Puts the library in {@code dataDir/native} and points sqlite-jdbc at it (unless the JVM was told otherwise). */
    static void prepare(Path dataDir) throws IOException {
        Path dir = PrivateFiles.directories(dataDir.resolve(DIR));
        removeOldExtractions(dataDir);
        String libName = LibraryLoaderUtil.getNativeLibName();
        byte[] library = library(libName);
        if (library.length == 0) {
            // No bundled library for this platform: sqlite-jdbc looks on java.library.path; keep its fallback private too.
            setIfAbsent("org.sqlite.tmpdir", dir.toAbsolutePath().toString());
            return;
        }
        String name = hash(library) + "-" + libName;
        Path target = dir.resolve(name);
        if (!Files.isRegularFile(target) || Files.size(target) != library.length || !Arrays.equals(Files.readAllBytes(target), library)) {
            PrivateFiles.write(target, library, "rwx------");
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
            for (Path p : all) {
                if (!p.getFileName().toString().equals(name)) {
                    deleteQuietly(p, "stale copy of the SQLite library");
                }
            }
        }
        if (System.getProperty("org.sqlite.lib.path") == null) {
            System.setProperty("org.sqlite.lib.path", dir.toAbsolutePath().toString());
            System.setProperty("org.sqlite.lib.name", name);
        }
        setIfAbsent("org.sqlite.tmpdir", dir.toAbsolutePath().toString());
    }

    /** sqlite-jdbc's own extractions ({@code sqlite-VERSION-UUID-libsqlitejdbc.so} and its {@code .lck}) in the data directory. */
    private static void removeOldExtractions(Path dataDir) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dataDir, "sqlite-*-" + LibraryLoaderUtil.getNativeLibName() + "*")) {
            for (Path p : old) {
                deleteQuietly(p, "SQLite library left by an earlier start");
            }
        }
    }

    private static byte[] library(String libName) throws IOException {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + libName)) {
            return in == null ? new byte[0] : in.readAllBytes();
        }
    }

    private static String hash(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static void deleteQuietly(Path p, String what) {
        try {
            Files.deleteIfExists(p);
            log.debug("removed {} {}", what, p);
        } catch (IOException e) {
            log.warn("could not remove {} {}: {}", what, p, e.toString());
        }
    }
}

package io.firstline.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * Everything Firstline writes, on either side, is for its owner only:
 * directories 0700, files 0600 (0700 for the one native library the console
 * loads). Java cannot set a umask, so every file and directory is created
 * through here with its mode from the start, never created loose and
 * tightened later. On a file system without POSIX modes (Windows) the
 * directory's ACL applies and these are plain creates.
 *
 * <p>{@link #warnIfLoosened} is the start-up check: it names what someone
 * has opened up since, and how to close it again.
 */
public final class PrivateFiles {
    /** Modes as {@code ls -l} shows them. */
    public static final String DIR_MODE = "rwx------";
    public static final String FILE_MODE = "rw-------";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final int MAX_NAMED = 5;

    private PrivateFiles() {
    }

    private static FileAttribute<?>[] mode(String mode) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                : new FileAttribute<?>[0];
    }

    /**
     * Creates {@code dir} and every missing parent as 0700, like
     * {@code mkdir -p -m 0700}. Directories that exist already keep their mode
     * (the start-up check reports a loosened one).
     */
    public static Path directories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = abs; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p, mode(DIR_MODE));
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(p)) {
                    throw raced;
                }
            }
        }
        return dir;
    }

    /** Writes {@code content} to {@code file} atomically (a 0600 temporary file moved into place), creating its directory 0700. */
    public static void write(Path file, byte[] content) throws IOException {
        write(file, content, FILE_MODE);
    }

    /** {@link #write(Path, byte[])} of UTF-8 text. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8), FILE_MODE);
    }

    /** As {@link #write(Path, byte[])}, with the file's mode, e.g. {@code rwx------} for a native library. */
    public static void write(Path file, byte[] content, String fileMode) throws IOException {
        Path dir = directories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", mode(fileMode));
        try {
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates {@code file} (0600) with {@code content} unless it exists.
     *
     * @return false when the file was there already (its content is untouched)
     */
    public static boolean createNew(Path file, String content) throws IOException {
        directories(file.toAbsolutePath().getParent());
        try {
            Files.write(Files.createFile(file, mode(FILE_MODE)), content.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (FileAlreadyExistsException exists) {
            return false;
        }
    }

    /** Opens a channel on {@code file}, which is created 0600 if {@code options} allow creating it. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), mode(FILE_MODE));
    }

    /** Creates an empty 0600 file if none exists (for files another library opens, such as the SQLite database). */
    public static void touch(Path file) throws IOException {
        directories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, mode(FILE_MODE));
        } catch (FileAlreadyExistsException exists) {
            // keep it
        }
    }

    /** Entries under {@code root} (itself included, symbolic links not followed) that group or others may use. */
    public static List<Path> loosened(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!POSIX || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                check(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                // A Unix socket holds no data: its mode says who may connect (the agent's local socket is
                // meant for local users, docs/operations.md "The local socket"); its directory still guards it.
                if (!attrs.isSymbolicLink() && !attrs.isOther()) {
                    check(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // gone meanwhile (a SQLite -shm, a spool segment): nothing to report
            }

            private void check(Path p) throws IOException {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                    out.add(p);
                }
            }
        });
        return out;
    }

    /**
     * The start-up check: logs one warning naming what under {@code root} is
     * readable or writable by others, with the command that fixes it.
     *
     * @return how many entries are loosened (0 when all is private)
     */
    public static int warnIfLoosened(Path root, String what, Logger log) {
        List<Path> loose;
        try {
            loose = loosened(root);
        } catch (IOException e) {
            log.warn("could not check the permissions of {} {}: {}", what, root, e.toString());
            return 0;
        }
        if (!loose.isEmpty()) {
            String named = loose.stream().limit(MAX_NAMED).map(p -> p + " (" + modeOf(p) + ")").collect(Collectors.joining(", "));
            log.warn("{} {} is readable by other users: {}{}; it holds private data, fix it with: chmod -R go-rwx {}",
                    what, root, named, loose.size() > MAX_NAMED ? " and " + (loose.size() - MAX_NAMED) + " more" : "", root);
        }
        return loose.size();
    }

    private static String modeOf(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return "?";
        }
    }

    /** Opens for appending, creating 0600. */
    public static FileChannel append(Path file) throws IOException {
        return open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
}

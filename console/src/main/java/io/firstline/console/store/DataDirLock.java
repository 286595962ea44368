package io.firstline.console.store;

import io.firstline.files.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who uses a console's data directory: a running console, or
 * {@code migrate-store} copying its store, holds an exclusive lock on
 * {@code DATA/}{@value #FILE_NAME} (an OS file lock, so a console killed
 * with -9 leaves none behind). The file says who holds it, for messages.
 * The admin commands ({@code token create}, ...) do not take it: they may
 * run beside a console.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE_NAME = "console.lock";

    /**
     * The directories this JVM holds, and by whom. POSIX record locks belong to the process, and closing any
     * descriptor of the file drops them all, so this process must not even open the file of a lock it holds.
     */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dataDir} for {@code holder} ("console", "migrate-store").
     *
     * @return empty when another process, or another console in this one, holds it
     */
    public static Optional<DataDirLock> tryTake(Path dataDir, String holder) throws IOException {
        Path key = key(dataDir);
        String said = holder + " pid " + ProcessHandle.current().pid();
        if (HELD.putIfAbsent(key, said) != null) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            PrivateFiles.directories(dataDir);
            channel = PrivateFiles.open(dataDir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                HELD.remove(key);
                return Optional.empty();
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((said + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return Optional.of(new DataDirLock(key, channel, lock));
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            HELD.remove(key);
            throw e;
        }
    }

    private static Path key(Path dataDir) {
        return dataDir.toAbsolutePath().normalize();
    }

    /** Who last held the lock of {@code dataDir}, as its file says ("console pid 1234"), or "another process". */
    public static String holder(Path dataDir) {
        String here = HELD.get(key(dataDir));
        if (here != null) {
            return here;
        }
        try {
            String text = Files.readString(dataDir.resolve(FILE_NAME), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "another process" : text;
        } catch (IOException e) {
            return "another process";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel or the process anyway
        } finally {
            HELD.remove(key);
        }
    }
}

package io.firstline.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class PrivateFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void everythingCreatedIsOwnerOnlyParentsIncluded() throws Exception {
        Path deep = dir.resolve("a/b/c");
        PrivateFiles.directories(deep);
        for (Path p : List.of(dir.resolve("a"), dir.resolve("a/b"), deep)) {
            assertEquals("rwx------", mode(p), p.toString());
        }
        PrivateFiles.writeString(dir.resolve("x/written"), "secret\n");
        assertEquals("rwx------", mode(dir.resolve("x")));
        assertEquals("rw-------", mode(dir.resolve("x/written")));
        assertEquals("secret\n", Files.readString(dir.resolve("x/written")));
        PrivateFiles.writeString(dir.resolve("x/written"), "replaced\n");
        assertEquals("rw-------", mode(dir.resolve("x/written")));
        assertTrue(PrivateFiles.createNew(dir.resolve("new"), "1"));
        assertFalse(PrivateFiles.createNew(dir.resolve("new"), "2"));
        assertEquals("1", Files.readString(dir.resolve("new")));
        assertEquals("rw-------", mode(dir.resolve("new")));
        try (FileChannel c = PrivateFiles.open(dir.resolve("chan"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertEquals("rw-------", mode(dir.resolve("chan")));
        }
        PrivateFiles.touch(dir.resolve("t"));
        assertEquals("rw-------", mode(dir.resolve("t")));
        PrivateFiles.write(dir.resolve("lib.so"), new byte[] {1}, "rwx------");
        assertEquals("rwx------", mode(dir.resolve("lib.so")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertEquals(List.of(), PrivateFiles.loosened(dir), "nothing is left loose, no temporary file either");
        try (var all = Files.list(dir.resolve("x"))) {
            assertEquals(1, all.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aLoosenedEntryIsNamedInOneWarning() throws Exception {
        PrivateFiles.writeString(dir.resolve("d/f"), "x");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertEquals(0, PrivateFiles.warnIfLoosened(dir, "test dir", LoggerFactory.getLogger(PrivateFilesTest.class)));
        Files.setPosixFilePermissions(dir.resolve("d/f"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir.resolve("d"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(List.of(dir.resolve("d"), dir.resolve("d/f")), PrivateFiles.loosened(dir));
        assertEquals(2, PrivateFiles.warnIfLoosened(dir, "test dir", LoggerFactory.getLogger(PrivateFilesTest.class)));
    }
}

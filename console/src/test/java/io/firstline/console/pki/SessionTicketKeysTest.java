package io.firstline.console.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.firstline.files.PrivateFiles;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session-ticket secret's file and the daily keys derived from it. */
class SessionTicketKeysTest {
    @TempDir
    Path dir;

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    private static String name(OpenSslSessionTicketKey k) {
        return HexFormat.of().formatHex(k.name());
    }

    @Test
    void theSecretIsMadeOnceOwnerOnlyAndReadBackTheSame() throws Exception {
        Clock clock = at("2026-11-30T03:00:00Z");
        SessionTicketKeys first = SessionTicketKeys.loadOrCreate(dir, clock);
        Path file = dir.resolve(SessionTicketKeys.FILE_NAME);
        assertEquals(PrivateFiles.FILE_MODE, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(Arrays.stream(first.current()).map(SessionTicketKeysTest::name).toList(),
                Arrays.stream(SessionTicketKeys.loadOrCreate(dir, clock).current()).map(SessionTicketKeysTest::name).toList());
        try (var leftovers = Files.list(dir)) {
            assertEquals(1, leftovers.count(), "no temporary file left beside the secret");
        }
    }

    @Test
    void keysRotateAtUtcMidnightAndTheLastTwoDaysAndTheNextStillOpenTickets() throws Exception {
        SessionTicketKeys.loadOrCreate(dir, at("2026-11-30T00:00:00Z"));
        OpenSslSessionTicketKey[] monday = SessionTicketKeys.loadOrCreate(dir, at("2026-11-30T23:59:59Z")).current();
        OpenSslSessionTicketKey[] tuesday = SessionTicketKeys.loadOrCreate(dir, at("2026-12-01T00:00:00Z")).current();
        assertEquals(4, monday.length);
        assertNotEquals(name(monday[0]), name(tuesday[0]), "a new day issues under a new key");
        assertEquals(name(monday[1]), name(tuesday[0]), "today's key was already accepted yesterday (a node ahead)");
        assertEquals(name(monday[0]), name(tuesday[2]), "yesterday's tickets still open");
        assertEquals(name(monday[2]), name(tuesday[3]), "and the day before's");
        assertEquals(4, Arrays.stream(tuesday).map(SessionTicketKeysTest::name).distinct().count());
        assertFalse(Arrays.equals(tuesday[0].hmacKey(), tuesday[0].aesKey()));
    }

    @Test
    void anotherSecretMakesOtherKeys() throws Exception {
        Clock clock = at("2026-11-30T03:00:00Z");
        String a = name(SessionTicketKeys.loadOrCreate(dir.resolve("a"), clock).current()[0]);
        String b = name(SessionTicketKeys.loadOrCreate(dir.resolve("b"), clock).current()[0]);
        assertNotEquals(a, b);
    }

    @Test
    void anUnreadableSecretIsReplacedAndTheConsoleStillStarts() throws Exception {
        Path file = dir.resolve(SessionTicketKeys.FILE_NAME);
        Clock clock = at("2026-11-30T03:00:00Z");
        for (String corrupt : new String[] {"", "garbage", "-----BEGIN FIRSTLINE SESSION TICKET SECRET-----\nAAAA\n"
                + "-----END FIRSTLINE SESSION TICKET SECRET-----\n"}) {
            PrivateFiles.write(file, corrupt.getBytes(StandardCharsets.US_ASCII));
            SessionTicketKeys keys = SessionTicketKeys.loadOrCreate(dir, clock);
            byte[] written = SessionTicketKeys.parse(Files.readString(file, StandardCharsets.US_ASCII));
            assertEquals(SessionTicketKeys.SECRET_BYTES, written.length);
            assertArrayEquals(keys.current()[0].name(), new SessionTicketKeys(written, clock).current()[0].name(),
                    "the fresh secret in the file is the one in use");
        }
    }
}

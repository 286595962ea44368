package io.firstline.console.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Install codes: once each, for 30 minutes at most and never past their token, in memory and bounded. */
class InstallCodesTest {
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-29T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MutableClock clock = new MutableClock();
    final InstallCodes codes = new InstallCodes(clock);

    @Test
    void aCodeGivesItsTokenOnceOnly() {
        InstallCodes.Issued a = codes.issue("flt1_secret-a", clock.now.plus(Duration.ofDays(1)));
        InstallCodes.Issued b = codes.issue("flt1_secret-b", clock.now.plus(Duration.ofDays(1)));
        assertNotEquals(a.code(), b.code());
        assertTrue(a.code().matches("fic_[A-Za-z0-9_-]{32}"), a.code());
        assertEquals(Optional.of("flt1_secret-b"), codes.redeem(b.code()));
        assertEquals(Optional.empty(), codes.redeem(b.code()), "a second use");
        assertEquals(Optional.of("flt1_secret-a"), codes.redeem(" " + a.code() + "\n"));
        assertEquals(Optional.empty(), codes.redeem("fic_guessed"));
        assertEquals(Optional.empty(), codes.redeem(""));
        assertEquals(Optional.empty(), codes.redeem("x".repeat(10_000)));
    }

    @Test
    void aCodeExpiresAfterThirtyMinutesOrWithItsToken() {
        InstallCodes.Issued a = codes.issue("flt1_a", clock.now.plus(Duration.ofDays(1)));
        assertEquals(clock.now.plus(InstallCodes.TTL), a.expiresAt());
        InstallCodes.Issued b = codes.issue("flt1_b", clock.now.plus(Duration.ofMinutes(5)));
        assertEquals(clock.now.plus(Duration.ofMinutes(5)), b.expiresAt(), "never outlives its token");
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertEquals(Optional.empty(), codes.redeem(b.code()));
        clock.now = clock.now.plus(Duration.ofMinutes(24)).plusSeconds(59);
        assertEquals(1, codes.outstanding());
        clock.now = clock.now.plusSeconds(1);
        assertEquals(Optional.empty(), codes.redeem(a.code()));
        assertEquals(0, codes.outstanding(), "expired codes are forgotten");
    }

    @Test
    void atMostAThousandWaitTheOldestGoingFirst() {
        InstallCodes.Issued first = codes.issue("flt1_first", clock.now.plus(Duration.ofDays(1)));
        for (int i = 0; i < InstallCodes.MAX_OUTSTANDING; i++) {
            codes.issue("flt1_" + i, clock.now.plus(Duration.ofDays(1)));
        }
        assertEquals(InstallCodes.MAX_OUTSTANDING, codes.outstanding());
        assertEquals(Optional.empty(), codes.redeem(first.code()));
    }
}

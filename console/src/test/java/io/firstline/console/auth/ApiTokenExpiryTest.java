package io.firstline.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.MutableClock;
import io.firstline.console.store.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import io.firstline.console.store.StoreKind;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;

/** Issue 9 item 2: a token with an expiry stops working at it; its last use is kept to the minute. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class ApiTokenExpiryTest {
    @Parameter
    StoreKind storeKind;

    @TempDir
    Path dir;

    @Test
    void aTokenStopsAtItsExpiryAndShowsAsExpired() {
        MutableClock clock = new MutableClock();
        try (io.firstline.console.store.Store store = storeKind.open(dir)) {
            Accounts accounts = new Accounts(store, clock, new Passwords(1000));
            accounts.createUser("ed", Role.ENGINEER).orElseThrow();
            Accounts.NewApiToken t = accounts.createApiToken("ed", "nightly", Duration.ofHours(1));
            String forever = accounts.createApiToken("ed", "forever");
            assertTrue(accounts.apiToken(t.secret()).isPresent());
            Long firstUse = accounts.apiTokens("ed", 10).stream().filter(x -> x.id() == t.id()).findFirst().orElseThrow()
                    .lastUsedAt().toEpochMilli();
            clock.advance(Duration.ofSeconds(30));
            accounts.apiToken(t.secret());
            assertEquals(firstUse, accounts.apiTokens("ed", 10).stream().filter(x -> x.id() == t.id()).findFirst().orElseThrow()
                    .lastUsedAt().toEpochMilli(), "written at most once a minute");

            clock.advance(Duration.ofMinutes(60));
            assertTrue(accounts.apiToken(t.secret()).isEmpty(), "expired");
            assertTrue(accounts.apiToken(forever).isPresent(), "no expiry: valid until revoked");
            assertEquals("expired", accounts.apiTokens("ed", 10).stream().filter(x -> x.id() == t.id()).findFirst().orElseThrow()
                    .state(clock.instant()));
        }
    }
}

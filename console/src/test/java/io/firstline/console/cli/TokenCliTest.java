package io.firstline.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.enroll.AuditEntry;
import io.firstline.console.enroll.Enrollment;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.console.auth.Accounts;
import io.firstline.console.auth.Passwords;
import io.firstline.console.store.Store;
import io.firstline.console.store.StoreKind;
import io.firstline.console.store.StoreSettings;
import java.nio.file.Files;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code token create|list|revoke}, {@code agent revoke} and {@code api-token create}
 * against a console's data directory and store, as an admin runs them, on either store.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class TokenCliTest {
    @Parameter
    StoreKind storeKind;
    @TempDir
    Path dir;
    private CapturedCli cli;

    @BeforeEach
    void capture() {
        cli = new CapturedCli();
    }

    @AfterEach
    void restore() {
        cli.close();
    }

    private int run(String... args) {
        return cli.run(args);
    }

    private String field(String label) {
        return cli.out().lines().filter(l -> l.startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError(cli.out())).substring(label.length()).trim();
    }

    /** Starts and stops a console once (which makes its data directory) and returns its console.yaml. */
    private String firstStart() throws Exception {
        StoreSettings store = storeKind.settings(dir);
        io.firstline.console.Console.start(io.firstline.console.config.ConsoleConfig.defaults(dir)
                .withAgentListen(new io.firstline.console.config.ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new io.firstline.console.config.ConsoleConfig.Listen("127.0.0.1", 0)).withStore(store)).close();
        Path yaml = dir.resolve("console.yaml");
        Files.writeString(yaml, "dataDir: " + dir + "\n" + (store.embedded() ? ""
                : "store:\n  url: \"" + store.url() + "\"\n  user: " + store.user() + "\n"));
        return yaml.toString();
    }

    @Test
    void apiTokenCreatePrintsTheTokenAloneAndItWorks() throws Exception {
        String config = firstStart();
        assertEquals(0, run("api-token", "create", "--user", "admin", "--name", "nightly", "--config", config));
        String token = cli.out();
        assertTrue(token.matches("flt_[A-Za-z0-9_-]+\n"), "the token alone on a line: " + token);
        try (Store store = storeKind.open(dir)) {
            Accounts accounts = new Accounts(store, Clock.systemUTC(), new Passwords(1000));
            assertEquals("admin", accounts.apiToken(token.trim()).orElseThrow().username());
            assertTrue(accounts.audit().latest(10).stream().anyMatch(e -> e.action().equals("api-token.create")));
        }
        assertEquals(1, run("api-token", "create", "--user", "nobody", "--config", config));
        assertTrue(cli.err().contains("no user nobody"), cli.err());
        assertEquals("", cli.out());
    }

    @Test
    void createListRevokeAndTheAuditLog() throws Exception {
        // The admin commands work on a console's data directory and store, which its first start makes.
        String data = firstStart();
        assertEquals(0, run("token", "create", "--site", "berlin", "--ttl", "2h", "--max-uses", "3", "--config", data));
        String token = field("token:");
        String id = field("id:");
        assertTrue(token.startsWith("flt1_") && token.length() > 40, token);
        assertTrue(field("CA fingerprint:").matches("sha256:[0-9a-f]{64}"));
        assertEquals(0, run("token", "list", "--config", data));
        String list = cli.out();
        assertTrue(list.contains(id) && list.contains("berlin") && list.contains("0/3") && list.contains("active"), list);
        assertFalse(list.contains(token), "the secret is never listed");
        assertEquals(0, run("token", "revoke", id, "--config", data));
        assertEquals(1, run("token", "revoke", id, "--config", data));
        assertTrue(cli.err().contains("no active token"));
        assertEquals(0, run("token", "list", "--config", data));
        assertTrue(cli.out().contains("revoked"));
        assertEquals(1, run("agent", "revoke", "nobody", "--config", data));
        assertEquals(2, run("token", "create", "--site", "", "--config", data));

        assertEquals(0, run("token", "list", "--data", dir.toString(), "--config", data));
        try (Store store = storeKind.open(dir)) {
            Enrollment e = new Enrollment(store, ConsoleCa.loadOrCreate(dir, "x", Clock.systemUTC()), Clock.systemUTC());
            List<String> actions = e.audit(10).stream().map(AuditEntry::action).toList();
            assertEquals(List.of(AuditEntry.TOKEN_REVOKED, AuditEntry.TOKEN_CREATED), actions.subList(0, 2));
            assertTrue(e.audit(10).get(1).actor().startsWith("cli:"));
            assertFalse(store.read(c -> io.firstline.console.store.Sql.list(c, "SELECT token_hash FROM enrollment_tokens",
                    rs -> rs.getString(1))).contains(token), "only a hash is stored");
        }
    }
}

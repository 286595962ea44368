package io.firstline.console.web;

import static io.firstline.console.TestSupport.get;
import static io.firstline.console.TestSupport.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.Role;
import io.firstline.console.cli.DemoCommand;
import io.firstline.console.config.ConsoleConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9 items 2 and 7: API tokens are listed, revoked and expire; one-time passwords force a change. */
class ApiTokensAndOneTimePasswordsTest {
    @TempDir
    static Path dir;
    static Console console;
    static String base;
    static TestSupport.Auth admin;

    @BeforeAll
    static void start() {
        console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
        base = "http://127.0.0.1:" + console.httpPort();
        admin = TestSupport.login(base, "admin", TestSupport.adminPassword(console, dir));
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    private static JsonNode find(JsonNode list, long id) {
        for (JsonNode t : list) {
            if (t.path("id").asLong() == id) {
                return t;
            }
        }
        throw new AssertionError("no token " + id + " in " + list);
    }

    private static int delete(String url, TestSupport.Auth auth) {
        return TestSupport.send(auth.apply(HttpRequest.newBuilder(URI.create(url))).DELETE()).status();
    }

    @Test
    void ownersListAndRevokeTheirTokensWithNameCreationLastUseAndExpiry() {
        String pw = TestSupport.user(console, "olga", Role.ENGINEER);
        TestSupport.Auth olga = TestSupport.login(base, "olga", pw);
        TestSupport.Response created = post(base + "/api/me/api-tokens", olga, "{\"name\":\"backup script\",\"expiresIn\":\"30d\"}");
        assertEquals(201, created.status(), created.body());
        long id = created.json().path("id").asLong();
        TestSupport.Auth bearer = TestSupport.bearer(created.json().path("token").asText());
        Instant expires = Instant.parse(created.json().path("expiresAt").asText());
        assertTrue(expires.isAfter(Instant.now().plusSeconds(29L * 86400)), created.body());

        JsonNode before = find(get(base + "/api/me/api-tokens", olga).json(), id);
        assertEquals("backup script", before.path("name").asText());
        assertEquals("active", before.path("state").asText());
        assertTrue(before.path("createdAt").isTextual());
        assertTrue(before.path("lastUsedAt").isNull(), before.toString());
        assertFalse(before.has("token"), "a listed token never shows its secret");

        assertEquals(200, get(base + "/api/agents", bearer).status());
        JsonNode after = find(get(base + "/api/me/api-tokens", olga).json(), id);
        assertTrue(after.path("lastUsedAt").isTextual(), after.toString());

        // Another user cannot revoke it; its owner can, and then it stops working.
        String otherPw = TestSupport.user(console, "otto", Role.ENGINEER);
        TestSupport.Auth otto = TestSupport.login(base, "otto", otherPw);
        assertEquals(404, delete(base + "/api/me/api-tokens/" + id, otto));
        assertEquals(204, delete(base + "/api/me/api-tokens/" + id, olga));
        assertEquals(401, get(base + "/api/agents", bearer).status());
        assertEquals("revoked", find(get(base + "/api/me/api-tokens", olga).json(), id).path("state").asText());
        assertEquals(404, delete(base + "/api/me/api-tokens/" + id, olga));
        assertEquals(400, delete(base + "/api/me/api-tokens/abc", olga));
    }

    @Test
    void adminsSeeAndRevokeEveryonesTokensOthersMayNot() {
        String pw = TestSupport.user(console, "paul", Role.ENGINEER);
        TestSupport.Auth paul = TestSupport.login(base, "paul", pw);
        TestSupport.Response created = post(base + "/api/me/api-tokens", paul, "{\"name\":\"ci\"}");
        long id = created.json().path("id").asLong();
        TestSupport.Auth bearer = TestSupport.bearer(created.json().path("token").asText());
        assertEquals(403, get(base + "/api/api-tokens", paul).status());
        assertEquals(403, delete(base + "/api/api-tokens/" + id, paul));
        JsonNode listed = find(get(base + "/api/api-tokens", admin).json(), id);
        assertEquals("paul", listed.path("username").asText());
        assertTrue(listed.path("expiresAt").isNull(), "no expiry asked, none set");
        assertEquals(204, delete(base + "/api/api-tokens/" + id, admin));
        assertEquals(401, get(base + "/api/agents", bearer).status());
    }

    @Test
    void anAdminsResetRevokesTheUsersTokensAndSessionsButTheirOwnChangeKeepsTokens() {
        String pw = TestSupport.user(console, "rosa", Role.ENGINEER);
        TestSupport.Auth session = TestSupport.login(base, "rosa", pw);
        TestSupport.Auth bearer = TestSupport.bearer(console.accounts().createApiToken("rosa", "t"));
        // Her own change keeps the token (it ends her sessions, so the page signs in again).
        assertEquals(200, post(base + "/api/me/password", session, "{\"current\":\"" + pw + "\",\"password\":\"rosa-new-password\"}").status());
        assertEquals(200, get(base + "/api/agents", bearer).status());
        TestSupport.Auth again = TestSupport.login(base, "rosa", "rosa-new-password");
        assertEquals(200, get(base + "/api/agents", again).status());

        TestSupport.Response reset = post(base + "/api/users/rosa/password-reset", admin, "{}");
        assertEquals(200, reset.status(), reset.body());
        assertEquals(401, get(base + "/api/agents", bearer).status());
        assertEquals(401, get(base + "/api/agents", again).status());
    }

    @Test
    void aOneTimePasswordMustBeChangedAtTheFirstBrowserSignInButTokensKeepWorking() throws Exception {
        TestSupport.Response made = post(base + "/api/users", admin, "{\"username\":\"nina\",\"role\":\"engineer\"}");
        assertEquals(201, made.status(), made.body());
        String oneTime = made.json().path("password").asText();
        TestSupport.Auth bearer = TestSupport.bearer(console.accounts().createApiToken("nina", "t"));

        TestSupport.Response login = post(base + "/login", TestSupport.Auth.NONE,
                "{\"username\":\"nina\",\"password\":\"" + oneTime + "\",\"next\":\"/tickets\"}");
        assertEquals(200, login.status());
        assertTrue(login.json().path("mustChangePassword").asBoolean());
        assertEquals("/account", login.json().path("redirect").asText());
        TestSupport.Auth nina = TestSupport.login(base, "nina", oneTime);
        TestSupport.Response refused = get(base + "/api/agents", nina);
        assertEquals(403, refused.status());
        assertTrue(refused.json().path("error").asText().contains("one-time password"), refused.body());
        assertEquals(403, post(base + "/api/me/api-tokens", nina, "{}").status());
        HttpResponse<String> page = HttpClient.newHttpClient().send(nina.apply(HttpRequest.newBuilder(URI.create(base + "/fleet"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, page.statusCode());
        assertEquals("/account", page.headers().firstValue("location").orElseThrow());
        assertEquals(200, get(base + "/account", nina).status());
        assertTrue(get(base + "/api/me", nina).json().path("mustChangePassword").asBoolean());
        // API tokens are not held back.
        assertEquals(200, get(base + "/api/agents", bearer).status());

        assertEquals(200, post(base + "/api/me/password", nina, "{\"current\":\"" + oneTime + "\",\"password\":\"nina-chosen-pw\"}").status());
        TestSupport.Auth chosen = TestSupport.login(base, "nina", "nina-chosen-pw");
        assertEquals(200, get(base + "/api/agents", chosen).status());
        assertFalse(get(base + "/api/me", chosen).json().path("mustChangePassword").asBoolean());

        // An admin's reset makes it one-time again.
        String reset = post(base + "/api/users/nina/password-reset", admin, "{}").json().path("password").asText();
        assertEquals(403, get(base + "/api/agents", TestSupport.login(base, "nina", reset)).status());
    }

    @Test
    void theFirstStartAdminPasswordIsOneTimeButTheDemosPrintedLoginIsNot() throws IOException {
        Path other = dir.resolve("fresh");
        try (Console fresh = Console.start(ConsoleConfig.defaults(other)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)))) {
            String b = "http://127.0.0.1:" + fresh.httpPort();
            String initial = Files.readString(other.resolve("initial-admin-password")).trim().split(" ")[1];
            assertEquals(403, get(b + "/api/agents", TestSupport.login(b, "admin", initial)).status());

            String first = DemoCommand.demoLogin(fresh, other);
            String[] login = Files.readString(other.resolve(DemoCommand.ADMIN_LOGIN)).trim().split(" ");
            assertEquals(first, login[1]);
            assertEquals(200, get(b + "/api/agents", TestSupport.login(b, login[0], login[1])).status());
            TestSupport.Auth firstToken = TestSupport.bearer(Files.readString(other.resolve(DemoCommand.API_TOKEN)).trim());
            assertEquals(200, get(b + "/api/agents", firstToken).status());

            // A second demo start on the same data replaces the token: the old copy stops working.
            DemoCommand.demoLogin(fresh, other);
            TestSupport.Auth secondToken = TestSupport.bearer(Files.readString(other.resolve(DemoCommand.API_TOKEN)).trim());
            assertEquals(401, get(b + "/api/agents", firstToken).status());
            assertEquals(200, get(b + "/api/agents", secondToken).status());
        }
    }
}

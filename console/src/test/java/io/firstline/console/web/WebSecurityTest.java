package io.firstline.console.web;

import static io.firstline.console.TestSupport.get;
import static io.firstline.console.TestSupport.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.Accounts;
import io.firstline.console.auth.Role;
import io.firstline.console.config.ConsoleConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication, roles, CSRF, the Origin check and the security headers, over real HTTP. */
class WebSecurityTest {
    @TempDir
    static Path dir;
    static Console console;
    static String base;
    static String adminPassword;
    static String viewerPassword;

    @BeforeAll
    static void start() throws IOException {
        console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
        base = "http://127.0.0.1:" + console.httpPort();
        adminPassword = TestSupport.adminPassword(console, dir);
        viewerPassword = TestSupport.user(console, "vera", Role.VIEWER);
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    @Test
    void firstStartWritesTheAdminsOneTimePasswordToAnOwnerOnlyFile() throws IOException {
        Path file = dir.resolve(Accounts.INITIAL_PASSWORD_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).startsWith("admin "));
    }

    @Test
    void anonymousCallersGet401OnTheApiAndARedirectOnPagesButHealthAndMetricsStayOpen() {
        assertEquals(401, get(base + "/api/agents").status());
        assertEquals(401, get(base + "/api/tickets").status());
        assertEquals(401, get(base + "/live/fleet").status());
        assertEquals(200, get(base + "/healthz").status());
        assertEquals(200, get(base + "/metrics").status());
        assertEquals(200, get(base + "/login").status());
        HttpResponse<String> r = raw(HttpRequest.newBuilder(URI.create(base + "/fleet")));
        assertEquals(302, r.statusCode());
        assertTrue(r.headers().firstValue("location").orElseThrow().startsWith("/login?next="));
        assertEquals(401, get(base + "/api/agents", TestSupport.bearer("flt_not-a-token")).status());
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteAndSignsIn() throws Exception {
        HttpResponse<String> r = raw(HttpRequest.newBuilder(URI.create(base + "/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + adminPassword + "\"}")));
        assertEquals(200, r.statusCode(), r.body());
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(cookie.startsWith("fl_session="), cookie);
        assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        TestSupport.Auth admin = TestSupport.login(base, "admin", adminPassword);
        TestSupport.Response me = get(base + "/api/me", admin);
        assertEquals("admin", me.json().path("role").asText());
        assertEquals(admin.csrf(), me.json().path("csrfToken").asText());
        assertEquals(200, get(base + "/fleet", admin).status());
    }

    @Test
    void wrongPasswordIsRefusedAndRepeatedFailuresAreThrottled() {
        String body = "{\"username\":\"nobody-" + System.nanoTime() + "\",\"password\":\"x\"}";
        for (int i = 0; i < 5; i++) {
            assertEquals(401, post(base + "/login", TestSupport.Auth.NONE, body).status());
        }
        TestSupport.Response r = post(base + "/login", TestSupport.Auth.NONE, body);
        assertEquals(429, r.status(), r.body());
    }

    @Test
    void aStateChangeWithASessionNeedsTheCsrfToken() {
        TestSupport.Auth admin = TestSupport.login(base, "admin", adminPassword);
        TestSupport.Auth noCsrf = new TestSupport.Auth(admin.header(), admin.value(), "");
        TestSupport.Auth wrongCsrf = new TestSupport.Auth(admin.header(), admin.value(), "forged");
        String body = "{\"username\":\"csrf-" + System.nanoTime() % 100000 + "\",\"role\":\"viewer\"}";
        assertEquals(403, post(base + "/api/users", noCsrf, body).status());
        assertEquals(403, post(base + "/api/users", wrongCsrf, body).status());
        TestSupport.Response ok = post(base + "/api/users", admin, body);
        assertEquals(201, ok.status(), ok.body());
        assertEquals(16, ok.json().path("password").asText().length());
        // The change is in the audit log with who made it and the outcome.
        TestSupport.Response audit = get(base + "/api/audit", admin);
        assertTrue(audit.body().contains("\"action\":\"POST /api/users\"") && audit.body().contains("\"outcome\":\"201\""),
                audit.body());
    }

    @Test
    void aCrossOriginStateChangeIsRefusedEvenWithTheCsrfToken() {
        TestSupport.Auth admin = TestSupport.login(base, "admin", adminPassword);
        HttpResponse<String> r = raw(admin.apply(HttpRequest.newBuilder(URI.create(base + "/api/me/api-tokens")))
                .header("Origin", "http://evil.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(403, r.statusCode(), r.body());
    }

    @Test
    void theLiveFeedChecksTheOrigin() throws Exception {
        TestSupport.Auth admin = TestSupport.login(base, "admin", adminPassword);
        HttpResponse<String> evil = raw(admin.apply(HttpRequest.newBuilder(URI.create(base + "/live/fleet")))
                .header("Origin", "http://evil.example"));
        assertEquals(403, evil.statusCode());
        HttpResponse<String> crossSite = raw(admin.apply(HttpRequest.newBuilder(URI.create(base + "/live/fleet")))
                .header("Sec-Fetch-Site", "cross-site"));
        assertEquals(403, crossSite.statusCode());
        // Same origin: the stream opens and starts with a reset event.
        HttpResponse<java.io.InputStream> ok = HttpClient.newHttpClient().send(admin.apply(
                        HttpRequest.newBuilder(URI.create(base + "/live/fleet"))).header("Origin", base).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, ok.statusCode());
        assertTrue(ok.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(ok.body()))) {
            assertEquals("event: reset", in.readLine());
            assertTrue(in.readLine().startsWith("data: {"));
        }
    }

    @Test
    void aViewerCanLookButNotChangeAnything() {
        TestSupport.Auth viewer = TestSupport.login(base, "vera", viewerPassword);
        assertEquals(200, get(base + "/api/agents", viewer).status());
        assertEquals(403, post(base + "/api/me/api-tokens", viewer, "{}").status());
        assertEquals(403, post(base + "/api/users", viewer, "{\"username\":\"x\",\"role\":\"admin\"}").status());
        assertEquals(403, get(base + "/api/users", viewer).status());
        assertEquals(403, post(base + "/api/tickets/1/ack", viewer, "{}").status());
        // A viewer's API token is read-only too.
        TestSupport.Auth token = TestSupport.bearer(console.accounts().createApiToken("vera", "t"));
        assertEquals(200, get(base + "/api/agents", token).status());
        assertEquals(403, post(base + "/api/tickets/1/ack", token, "{}").status());
        // Their own password is the one thing a viewer may change (with the current one, and not too short).
        assertEquals(403, post(base + "/api/me/password", viewer, "{\"current\":\"wrong\",\"password\":\"long-enough-1\"}").status());
        assertEquals(400, post(base + "/api/me/password", viewer, "{\"current\":\"" + viewerPassword + "\",\"password\":\"short\"}").status());
        assertEquals(200, post(base + "/logout", viewer, "{}").status());
        assertEquals(401, get(base + "/api/agents", viewer).status());
    }

    @Test
    void onlyAnAdminListsCreatesAndRevokesEnrollmentTokensAndTheSecretIsShownOnce() {
        String engineerPassword = TestSupport.user(console, "enid", Role.ENGINEER);
        TestSupport.Auth engineer = TestSupport.login(base, "enid", engineerPassword);
        TestSupport.Auth viewer = TestSupport.login(base, "vera", viewerPassword);
        TestSupport.Auth admin = TestSupport.login(base, "admin", adminPassword);
        String body = "{\"site\":\"lab\",\"ttl\":\"1h\",\"maxUses\":2}";
        for (TestSupport.Auth other : new TestSupport.Auth[] {engineer, viewer,
                TestSupport.bearer(console.accounts().createApiToken("enid", "t"))}) {
            assertEquals(403, get(base + "/api/tokens", other).status());
            assertEquals(403, post(base + "/api/tokens", other, body).status());
            assertEquals(403, post(base + "/api/agents/some-agent/revoke", other, "{}").status());
        }

        TestSupport.Response created = post(base + "/api/tokens", admin, body);
        assertEquals(201, created.status(), created.body());
        String id = created.json().path("id").asText();
        String secret = created.json().path("token").asText();
        assertTrue(id.startsWith("tok_") && secret.length() > 40, created.body());
        assertEquals("lab", created.json().path("site").asText());
        assertEquals(2, created.json().path("maxUses").asInt());
        assertEquals("admin", created.json().path("createdBy").asText());
        // What the page needs for the install command: the CA pin and the agent link's real address.
        assertEquals(console.enrollment().caFingerprint(), created.json().path("caFingerprint").asText());
        assertEquals("127.0.0.1", created.json().path("agentHost").asText());
        assertEquals(console.agentPort(), created.json().path("agentPort").asInt());

        TestSupport.Response list = get(base + "/api/tokens", admin);
        assertEquals(200, list.status());
        assertTrue(list.body().contains(id) && !list.body().contains(secret), list.body());

        assertEquals(403, delete(base + "/api/tokens/" + id, engineer).status());
        assertEquals(403, delete(base + "/api/tokens/" + id, viewer).status());
        assertTrue(get(base + "/api/tokens", admin).body().contains("\"state\":\"active\""));
        assertEquals(204, delete(base + "/api/tokens/" + id, admin).status());
        assertEquals(404, delete(base + "/api/tokens/" + id, admin).status());
        assertTrue(get(base + "/api/tokens", admin).body().contains("\"state\":\"revoked\""));
    }

    private static TestSupport.Response delete(String url, TestSupport.Auth auth) {
        return TestSupport.send(auth.apply(HttpRequest.newBuilder(URI.create(url))).DELETE());
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        HttpResponse<String> r = raw(HttpRequest.newBuilder(URI.create(base + "/login")));
        String csp = r.headers().firstValue("content-security-policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElseThrow());
        assertEquals(200, raw(HttpRequest.newBuilder(URI.create(base + "/webjars/uplot/uPlot.iife.min.js"))).statusCode());
        assertEquals(404, raw(HttpRequest.newBuilder(URI.create(base + "/static/..%2F..%2Flogback.xml"))).statusCode());
    }

    private static HttpResponse<String> raw(HttpRequest.Builder b) {
        try {
            return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build()
                    .send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

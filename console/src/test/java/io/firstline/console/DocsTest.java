package io.firstline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/security.md, docs/tickets.md and docs/architecture.md say about
 * the HTTP side, checked against a running console: the API needs a login,
 * ticket actions act as the signed-in user whatever the body says, and the
 * web package serves every page and feed the architecture names.
 */
class DocsTest {
    private static final Path DOCS = Path.of("..", "docs");

    @TempDir
    static Path dir;
    static Console console;
    static String base;

    @BeforeAll
    static void start() {
        console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1)));
        base = "http://127.0.0.1:" + console.httpPort();
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    private static String doc(String name) throws Exception {
        return Files.readString(DOCS.resolve(name));
    }

    @Test
    void securityDocSaysTheApiNeedsALoginAndItDoes() throws Exception {
        String security = doc("security.md");
        assertFalse(security.toLowerCase().contains("no login"), "docs/security.md still says the HTTP API has no login");
        assertTrue(security.contains("Anonymous calls get 401"), "docs/security.md says what an anonymous caller gets");
        for (String route : List.of("/api/agents", "/api/tickets", "/api/tokens", "/api/audit", "/api/users", "/live/fleet")) {
            assertEquals(401, TestSupport.get(base + route).status(), route);
        }
        for (String open : List.of("/healthz", "/metrics")) {
            assertTrue(security.contains("`" + open + "`"), open);
            assertEquals(200, TestSupport.get(base + open).status(), open);
        }
    }

    @Test
    void ticketsDocHasNoActorInBodiesAndTheServerIgnoresOne() throws Exception {
        String tickets = doc("tickets.md");
        String api = tickets.substring(tickets.indexOf("## API"), tickets.indexOf("## Storage"));
        assertFalse(api.contains("\"actor\""), "docs/tickets.md documents an actor field the server ignores:\n" + api);
        assertFalse(tickets.contains("names itself"), "docs/tickets.md says the caller names itself");

        Instant at = Instant.now();
        long id = console.tickets().apply(new FaultEvent(new FaultKey("docs-agent", "disk_almost_full", "/"), true,
                "fs.used_ratio", 0.95, 0.9, at, at, "", 0, 0)).ticket().orElseThrow().id();
        TestSupport.Auth admin = TestSupport.adminToken(console);
        assertEquals(200, TestSupport.post(base + "/api/tickets/" + id + "/ack", admin, "{\"actor\": \"mallory\"}").status());
        JsonNode timeline = TestSupport.get(base + "/api/tickets/" + id, admin).json().path("timeline");
        // Found by kind: the rule's triage may add diagnostic events to the timeline at any moment.
        JsonNode ack = null;
        for (JsonNode e : timeline) {
            if ("acknowledged".equals(e.path("kind").asText())) {
                ack = e;
            }
        }
        assertTrue(ack != null, "an acknowledged event in " + timeline);
        assertEquals("admin", ack.path("actor").asText(), "the signed-in user, as the doc says, not the body's actor");
    }

    @Test
    void architectureDocNamesEveryPageAndFeedTheWebPackageServes() throws Exception {
        String architecture = doc("architecture.md");
        Matcher web = Pattern.compile("\\* `web` — (.*?)\\n\\* `", Pattern.DOTALL).matcher(architecture);
        assertTrue(web.find(), "architecture.md has a `web` bullet");
        String described = web.group(1);
        // Every page answers an anonymous browser with the sign-in page: they exist, and the doc must name them.
        for (String page : List.of("/fleet", "/hosts/{id}", "/tickets", "/account", "/admin")) {
            TestSupport.Response r = TestSupport.get(base + page.replace("{id}", "x"));
            assertEquals(302, r.status(), page);
            assertTrue(described.contains("`" + page + "`"), "architecture.md's web bullet does not name " + page + ":\n" + described);
        }
        for (String route : List.of("/login", "/live/fleet", "/healthz", "/metrics", "/api/")) {
            assertTrue(described.contains(route), "architecture.md's web bullet does not name " + route + ":\n" + described);
        }
    }
}

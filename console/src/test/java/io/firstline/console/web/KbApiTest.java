package io.firstline.console.web;

import static io.firstline.console.TestSupport.get;
import static io.firstline.console.TestSupport.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.auth.Role;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The knowledge-base API and its ticket side over real HTTP, with real roles. */
class KbApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Console console;
    static String base;
    static TestSupport.Auth engineer;
    static TestSupport.Auth viewer;
    static long sequence;

    @BeforeAll
    static void start() {
        console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)));
        base = "http://127.0.0.1:" + console.httpPort();
        engineer = TestSupport.bearer(token("erin", Role.ENGINEER));
        viewer = TestSupport.bearer(token("victor", Role.VIEWER));
    }

    private static String token(String user, Role role) {
        console.accounts().createUser(user, role).orElseThrow();
        return console.accounts().createApiToken(user, "test");
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static TestSupport.Response put(String path, TestSupport.Auth auth, String body) {
        return TestSupport.send(auth.apply(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))));
    }

    static long openTicket(String agent, String rule, String resource) {
        Instant now = Instant.now();
        return console.tickets().apply(new FaultEvent(new FaultKey(agent, rule, resource), true, "fs.read_only", 1, 1,
                now, now, "", 1, ++sequence)).ticket().orElseThrow().id();
    }

    @Test
    void searchIsReadableByEveryoneSignedInAndAnyTextIsWords() throws Exception {
        assertEquals(401, get(base + "/api/kb?q=disk").status());
        assertEquals(200, get(base + "/api/kb?q=" + URLEncoder.encode("inode*) OR NEAR(\"", StandardCharsets.UTF_8), viewer).status());
        for (String q : new String[] {"inode", "\"inode", "inode*) (", "ino"}) {
            TestSupport.Response r = get(base + "/api/kb?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), viewer);
            assertEquals(200, r.status(), q + ": " + r.body());
            assertEquals("kb-inodes", r.json().get(0).path("id").asText(), q);
        }
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/kb?q=thermal+paste"))
                .header("Authorization", viewer.value()).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode first = JSON.readTree(raw.body()).get(0);
        assertEquals("kb-overheating", first.path("id").asText());
        assertTrue(first.path("score").asDouble() > 0);
        boolean marked = false;
        for (JsonNode p : first.path("snippet")) {
            marked |= p.path("match").asBoolean();
        }
        assertTrue(marked, first.toString());
        assertTrue(raw.headers().firstValue("X-Search-Id").isPresent());
        assertEquals("1", raw.headers().firstValue("X-Total-Count").orElse(""));
        // Without q: the list, paged and filtered.
        TestSupport.Response list = get(base + "/api/kb?limit=5&offset=0&os=linux", viewer);
        assertEquals(5, list.json().size());
        assertEquals(400, get(base + "/api/kb?os=beos", viewer).status());
        assertEquals(400, get(base + "/api/kb?limit=0", viewer).status());
    }

    @Test
    void engineersWriteWithVersionChecksAndHistoryViewersOnlyRead() {
        String article = json(Map.of("id", "kb-vpn", "title", "VPN drops", "fix", "1. Reconnect", "tags", "vpn network",
                "os", new String[] {"windows"}, "status", "published"));
        assertEquals(403, post(base + "/api/kb", viewer, article).status());
        TestSupport.Response created = post(base + "/api/kb", engineer, article);
        assertEquals(201, created.status(), created.body());
        assertEquals(1, created.json().path("version").asInt());
        assertEquals("erin", created.json().path("createdBy").asText());
        assertEquals(409, post(base + "/api/kb", engineer, article).status());

        assertEquals(403, put("/api/kb/kb-vpn", viewer, "{\"version\":1,\"title\":\"x\"}").status());
        assertEquals(400, put("/api/kb/kb-vpn", engineer, "{\"title\":\"no version\"}").status());
        TestSupport.Response v2 = put("/api/kb/kb-vpn", engineer, "{\"version\":1,\"fix\":\"1. Reconnect\\n2. Renew\",\"note\":\"step 2\"}");
        assertEquals(200, v2.status(), v2.body());
        assertEquals(2, v2.json().path("version").asInt());
        TestSupport.Response stale = put("/api/kb/kb-vpn", engineer, "{\"version\":1,\"title\":\"Overwrite\"}");
        assertEquals(409, stale.status());
        assertTrue(stale.json().path("error").asText().contains("version 2"), stale.body());
        assertEquals("VPN drops", get(base + "/api/kb/kb-vpn", viewer).json().path("title").asText());
        assertEquals(404, put("/api/kb/kb-none", engineer, "{\"version\":1}").status());

        JsonNode history = get(base + "/api/kb/kb-vpn/history", viewer).json();
        assertEquals(2, history.size());
        assertEquals("erin", history.get(0).path("actor").asText());
        assertEquals("step 2", history.get(0).path("note").asText());
        assertEquals(1, history.get(0).path("changes").path("fix").path("linesAdded").asInt());
        assertEquals(404, get(base + "/api/kb/kb-none/history", viewer).status());
    }

    @Test
    void anArticleOver256KiBIs413AndMarkupIsEscaped() {
        String big = "a".repeat(257 * 1024);
        assertEquals(413, post(base + "/api/kb", engineer, json(Map.of("title", "Big", "fix", big))).status());
        post(base + "/api/kb", engineer, json(Map.of("id", "kb-small", "title", "Small")));
        assertEquals(413, put("/api/kb/kb-small", engineer, json(Map.of("version", 1, "symptoms", big))).status());
        assertEquals(1, get(base + "/api/kb/kb-small", viewer).json().path("version").asInt());

        TestSupport.Response r = post(base + "/api/kb", engineer, json(Map.of("id", "kb-xss", "title", "<script>alert(1)</script>",
                "fix", "<img src=x onerror=alert(2)> [x](javascript:alert(3)) <a href=\"javascript:alert(4)\">a</a>")));
        assertEquals(201, r.status(), r.body());
        JsonNode a = get(base + "/api/kb/kb-xss", viewer).json();
        assertEquals("<script>alert(1)</script>", a.path("title").asText());
        String html = a.path("html").path("fix").asText();
        assertFalse(html.contains("<img") || html.contains("javascript:alert(3)") || html.contains("<a href=\"javascript"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(2)&gt;"), html);
        TestSupport.Response preview = post(base + "/api/kb/preview", engineer, "{\"markdown\":\"**b** <script>x</script>\"}");
        assertEquals("<p><strong>b</strong> &lt;script&gt;x&lt;/script&gt;</p>\n", preview.json().path("html").asText());
        assertEquals(403, post(base + "/api/kb/preview", viewer, "{\"markdown\":\"x\"}").status());
    }

    @Test
    void aFaultTicketSuggestsItsLinkedArticleFirstAndResolvingWithItIsCounted() {
        long id = openTicket("agent-kb", "filesystem_read_only", "/data");
        JsonNode t = get(base + "/api/tickets/" + id, viewer).json();
        JsonNode s = t.path("suggestedArticles");
        assertEquals("kb-readonly-fs", s.get(0).path("id").asText(), s.toString());
        assertEquals("kb-disk-health", s.get(1).path("id").asText(), s.toString());
        assertTrue(s.get(0).path("reason").asText().startsWith("linked to rule filesystem_read_only"), s.toString());
        assertTrue(s.get(0).path("score").asDouble() > s.get(1).path("score").asDouble());
        assertFalse(s.get(0).path("title").asText().isEmpty());

        // Unknown article: 400 and nothing changes.
        TestSupport.Response bad = post(base + "/api/tickets/" + id + "/resolve", engineer, "{\"articleId\":\"kb-nope\"}");
        assertEquals(400, bad.status(), bad.body());
        assertEquals("open", get(base + "/api/tickets/" + id, viewer).json().path("state").asText());
        assertEquals(0, get(base + "/api/kb/kb-readonly-fs", viewer).json().path("usedCount").asInt());

        TestSupport.Response ok = post(base + "/api/tickets/" + id + "/resolve", engineer,
                "{\"articleId\":\"kb-readonly-fs\",\"comment\":\"remounted after fsck\",\"sendUserText\":true}");
        assertEquals(200, ok.status(), ok.body());
        JsonNode timeline = ok.json().path("timeline");
        JsonNode resolved = null;
        JsonNode note = null;
        for (JsonNode e : timeline) {
            if (e.path("kind").asText().equals("resolved")) {
                resolved = e;
            } else if (e.path("kind").asText().equals("replied")) {
                note = e;
            }
        }
        assertEquals("kb-readonly-fs", resolved.path("detail").path("articleId").asText(), timeline.toString());
        assertEquals("remounted after fsck", resolved.path("detail").path("note").asText());
        assertTrue(note.path("detail").path("text").asText().contains("save any open work"), note.toString());
        JsonNode a = get(base + "/api/kb/kb-readonly-fs", viewer).json();
        assertEquals(1, a.path("usedCount").asInt());
        assertEquals(1, a.path("pendingCount").asInt());
        assertEquals(0, a.path("fixedCount").asInt(), "fixed once the reopen window passes without a reopen");

        // The resolution becomes a draft article.
        TestSupport.Response draft = post(base + "/api/kb", engineer, "{\"fromTicket\":" + id + "}");
        assertEquals(201, draft.status(), draft.body());
        assertEquals("draft", draft.json().path("status").asText());
        assertEquals("filesystem_read_only", draft.json().path("rules").get(0).asText());
        assertTrue(draft.json().path("fix").asText().contains("remounted after fsck"), draft.body());
        assertEquals(id, draft.json().path("sourceTicketId").asLong());
        assertEquals(409, post(base + "/api/kb", engineer, "{\"fromTicket\":" + openTicket("agent-kb2", "disk_almost_full", "/")
                + "}").status());

        JsonNode stats = get(base + "/api/kb/stats", viewer).json();
        assertEquals("kb-readonly-fs", stats.path("mostUseful").get(0).path("id").asText());
    }
}

package io.firstline.console.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.firstline.agent.AgentRuntime;
import io.firstline.agent.collect.CollectorRegistry;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.tickets.FaultEvent;
import io.firstline.console.tickets.FaultKey;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.nio.file.Files;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API against its contract, {@code /api/openapi.json}: the file is
 * valid OpenAPI; every {@code /api} route in the server's route table is
 * described and every described route is served; and real responses of a
 * console with a real enrolled agent validate against the described schemas
 * (networknt json-schema-validator, OpenAPI 3.1 dialect), for every
 * described route.
 *
 * <p>A new route fails {@link #everyServedApiRouteIsDescribedAndViceVersa}
 * until it is in {@code openapi.yaml}, and {@link #realResponsesMatchTheSchemas}
 * until a call of it is added there.
 */
class OpenApiContractTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final String SPEC_URI = "https://firstline.invalid/api/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Console console;
    static AgentRuntime agent;
    static String base;
    static TestSupport.Auth admin;
    static JsonNode spec;
    static String specText;

    @BeforeAll
    static void start() {
        console = Console.start(ConsoleConfig.defaults(dir.resolve("console"))
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withSampleInterval(Duration.ofSeconds(1)));
        base = "http://127.0.0.1:" + console.httpPort();
        admin = TestSupport.adminToken(console);
        TestSupport.Response r = TestSupport.get(base + OpenApi.PATH);
        assertEquals(200, r.status(), "the description needs no login");
        specText = r.body();
        spec = r.json();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        console.close();
    }

    @Test
    void theDescriptionIsValidOpenApi31AndServedWithOrWithoutLogin() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(specText, null, options);
        assertTrue(parsed.getMessages() == null || parsed.getMessages().isEmpty(), String.valueOf(parsed.getMessages()));
        assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
        assertEquals(specText, TestSupport.get(base + OpenApi.PATH, admin).body());
    }

    /** "METHOD /pattern" of every /api and /install route the server answers, from its route table. */
    private static Set<String> served() {
        return console.httpRoutes().stream().filter(r -> r.split(" ", 2)[1].startsWith("/api") || r.split(" ", 2)[1].startsWith("/install/"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> described() {
        Set<String> out = new TreeSet<>();
        spec.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                out.add(m.toUpperCase() + " " + p.getKey());
            }
        }));
        return out;
    }

    @Test
    void everyServedApiRouteIsDescribedAndViceVersa() {
        Set<String> missing = new TreeSet<>(served());
        missing.removeAll(described());
        assertEquals(Set.of(), missing, "served but not in openapi.yaml");
        Set<String> stale = new TreeSet<>(described());
        stale.removeAll(served());
        assertEquals(Set.of(), stale, "in openapi.yaml but not served");
    }

    // ---- real responses ------------------------------------------------------------------------

    private final Set<String> exercised = new TreeSet<>();
    /** The JSON-schema library, with the served description as a document its schemas are taken from. */
    private final SchemaRegistry registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(),
            b -> b.schemas(java.util.Map.of(SPEC_URI, specText)));

    private static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }

    /** Follows a {@code $ref} within the description (navigation only; validation is the library's). */
    private static String deref(String pointer) {
        JsonNode n = spec.at(pointer);
        while (n.has("$ref")) {
            pointer = n.get("$ref").asText().substring(1);
            n = spec.at(pointer);
        }
        return pointer;
    }

    /**
     * Sends a request, checks the status, and validates the body against the
     * schema the description gives for that route, method and status.
     */
    private TestSupport.Response call(String method, String pattern, String path, TestSupport.Auth auth, String body,
                                      int status) {
        return call(method, pattern, path, auth, "application/json", body, status);
    }

    private TestSupport.Response call(String method, String pattern, String path, TestSupport.Auth auth, String contentType,
                                      String body, int status) {
        HttpRequest.Builder b = auth.apply(HttpRequest.newBuilder(URI.create(base + path)));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        TestSupport.Response r = TestSupport.send(b);
        assertEquals(status, r.status(), method + " " + path + ": " + r.body());
        String operation = "/paths/" + escape(pattern) + "/" + method.toLowerCase();
        assertTrue(!spec.at(operation).isMissingNode(), "not described: " + method + " " + pattern);
        String response = operation + "/responses/" + status;
        assertTrue(!spec.at(response).isMissingNode(), method + " " + pattern + " answered " + status + ", which is not described");
        response = deref(response);
        JsonNode content = spec.at(response + "/content");
        if (content.isMissingNode()) {
            assertTrue(r.body().isEmpty(), method + " " + path + " has a body its description does not give: " + r.body());
        } else if (content.has("text/csv")) {
            assertTrue(r.contentType().startsWith("text/csv"), r.contentType());
        } else if (content.path("application/json").isMissingNode()) {
            // Not JSON (a diagnostic's output file, an install script, archive or checksum): one of the described media types.
            java.util.List<String> types = new java.util.ArrayList<>();
            content.fieldNames().forEachRemaining(types::add);
            assertTrue(types.stream().anyMatch(r.contentType()::startsWith), r.contentType() + " is not one of " + types);
        } else {
            assertTrue(r.contentType().startsWith("application/json"), r.contentType());
            String schemaPointer = response + "/content/application~1json/schema";
            List<Error> errors = errors(schemaPointer, r.body());
            if (!errors.isEmpty()) {
                fail(method + " " + path + " (" + status + ") does not match " + schemaPointer + ": " + errors + "\n" + r.body());
            }
        }
        exercised.add(method + " " + pattern);
        return r;
    }

    private List<Error> errors(String schemaPointer, String body) {
        Schema schema = registry.getSchema(SchemaLocation.of(SPEC_URI + "#" + schemaPointer));
        return schema.validate(body, InputFormat.JSON);
    }

    @Test
    void theSchemasRejectWhatTheyDoNotDescribe() {
        String agents = "/paths/~1api~1agents/get/responses/200/content/application~1json/schema";
        assertEquals(List.of(), errors(agents, "[]"));
        assertTrue(!errors(agents, "{}").isEmpty(), "an object is not the array the API promises");
        assertTrue(!errors(agents, "[{\"id\":\"a\"}]").isEmpty(), "required fields");
        String ticket = deref("/paths/~1api~1tickets~1{id}/get/responses/200") + "/content/application~1json/schema";
        assertTrue(!errors(ticket, "{\"id\":1,\"undocumented\":true}").isEmpty(), "undocumented fields are refused");
    }

    private TestSupport.Response get(String pattern, String path, int status) {
        return call("GET", pattern, path, admin, null, status);
    }

    private TestSupport.Response post(String pattern, String path, String body, int status) {
        return call("POST", pattern, path, admin, body, status);
    }

    @Test
    void realResponsesMatchTheSchemas() {
        agent = TestSupport.enrolledAgent(console, new AgentRuntime.Settings(
                List.of(new ConsoleAddress("127.0.0.1", console.agentPort())), dir.resolve("agent"), Duration.ofSeconds(1),
                CollectorRegistry.builtIn().select(Set.of(), Set.of())));
        String id = agent.agentId();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode a = TestSupport.get(base + "/api/agents/" + id, admin).json();
            return a.path("cpuUsage").isNumber() && a.path("inventory").size() > 3 && a.path("fullestFilesystem").isObject();
        });

        // meta
        call("GET", OpenApi.PATH, OpenApi.PATH, TestSupport.Auth.NONE, null, 200);
        get("/api", "/api", 200);
        call("GET", "/api", "/api", TestSupport.Auth.NONE, null, 401);

        // fleet
        assertTrue(get("/api/agents", "/api/agents", 200).json().isArray());
        call("GET", "/api/agents", "/api/agents", TestSupport.Auth.NONE, null, 401);
        get("/api/agents/{id}", "/api/agents/" + id, 200);
        get("/api/agents/{id}", "/api/agents/no-such-agent", 404);
        get("/api/agents/{id}/history", "/api/agents/" + id + "/history", 200);
        get("/api/agents/{id}/history", "/api/agents/no-such-agent/history", 404);

        // diagnostics, on the real agent
        String diag = "/api/agents/" + id + "/diagnostics";
        await().atMost(Duration.ofSeconds(10)).until(() -> TestSupport.get(base + diag, admin).json().path("online").asBoolean());
        assertTrue(get("/api/agents/{id}/diagnostics", diag, 200).json().path("allowed").path("enabled").asBoolean());
        long d = post("/api/agents/{id}/diagnostics", diag, "{\"action\":\"routes\"}", 202).json().path("id").asLong();
        post("/api/agents/{id}/diagnostics", diag, "{\"action\":\"tcp_connect\",\"params\":{\"host\":\"127.0.0.1\",\"port\":0}}", 400);
        post("/api/agents/{id}/diagnostics", "/api/agents/no-such-agent/diagnostics", "{\"action\":\"routes\"}", 404);
        await().atMost(Duration.ofSeconds(20)).until(() -> "done".equals(TestSupport.get(base + "/api/diagnostics/" + d, admin)
                .json().path("state").asText()));
        get("/api/diagnostics/{id}", "/api/diagnostics/" + d, 200);
        get("/api/diagnostics/{id}", "/api/diagnostics/999999", 404);
        get("/api/diagnostics/{id}/output", "/api/diagnostics/" + d + "/output", 200);
        get("/api/diagnostics/{id}/output", "/api/diagnostics/999999/output", 404);
        post("/api/diagnostics/{id}/cancel", "/api/diagnostics/" + d + "/cancel", "{}", 202);
        post("/api/diagnostics/{id}/cancel", "/api/diagnostics/999999/cancel", "{}", 404);

        // tickets
        Instant now = Instant.now();
        long ticket = console.tickets().apply(new FaultEvent(new FaultKey(id, "disk_almost_full", "/"), true, "fs.used_ratio",
                0.97, 0.9, now, now, "", 0, 0)).ticket().orElseThrow().id();
        assertTrue(get("/api/tickets", "/api/tickets", 200).json().isArray());
        get("/api/tickets", "/api/tickets?state=all&severity=warning&limit=10", 200);
        get("/api/tickets", "/api/tickets?state=bogus", 400);
        get("/api/tickets/{id}", "/api/tickets/" + ticket, 200);
        get("/api/tickets/{id}", "/api/tickets/999999", 404);
        get("/api/tickets/{id}", "/api/tickets/abc", 400);
        String t = "/api/tickets/" + ticket;
        post("/api/tickets/{id}/ack", t + "/ack", "{}", 200);
        post("/api/tickets/{id}/acknowledge", t + "/acknowledge", "{}", 409);
        post("/api/tickets/{id}/assign", t + "/assign", "{\"assignee\":\"admin\"}", 200);
        post("/api/tickets/{id}/comment", t + "/comment", "{\"text\":\"looking <b>now</b>\"}", 200);
        post("/api/tickets/{id}/escalate", t + "/escalate", "{\"reason\":\"customer waiting\"}", 200);
        post("/api/tickets/{id}/resolve", t + "/resolve",
                "{\"note\":\"freed space\",\"articleId\":\"kb-disk-cleanup\",\"sendUserText\":true}", 200);
        post("/api/tickets/{id}/reopen", t + "/reopen", "{\"reason\":\"still full\"}", 200);
        post("/api/tickets/{id}/acknowledge", t + "/acknowledge", "{}", 200);
        post("/api/tickets/{id}/reply", t + "/reply", "{\"text\":\"We are on it.\",\"public\":true}", 200);
        post("/api/tickets/{id}/reply", t + "/reply", "{\"text\":\"internal note\"}", 200);
        post("/api/tickets/{id}/reply", t + "/reply", "{\"text\":\"x\",\"public\":\"yes\"}", 400);
        post("/api/tickets/{id}/reply", "/api/tickets/999999/reply", "{\"text\":\"x\"}", 404);
        // A ticket from the endpoint's user, with its report and snapshot.
        long userTicket = new io.firstline.console.tickets.UserTickets(console.tickets()).apply(id, 1, 1,
                io.firstline.proto.UserReport.newBuilder().setReportId("contract-1").setUser("alice").setText("my screen froze")
                        .setCreatedMs(now.toEpochMilli()).addTables(io.firstline.proto.SnapshotTable.newBuilder().setName("machine")
                                .addColumns("hostname").addRows(io.firstline.proto.SnapshotRow.newBuilder().addCells("h1")))
                        .addEvents(io.firstline.proto.RecentEvent.newBuilder().setAtMs(now.toEpochMilli()).setKind("fault_raised")
                                .setText("disk_almost_full on /")).build()).orElseThrow().id();
        JsonNode user = get("/api/tickets/{id}", "/api/tickets/" + userTicket, 200).json();
        assertEquals(ticket, user.path("report").path("probablyRelated").get(0).path("id").asLong());
        assertEquals(1, get("/api/tickets", "/api/tickets?source=user", 200).json().size());
        get("/api/tickets", "/api/tickets?source=robot", 400);
        call("POST", "/api/tickets/{id}/comment", t + "/comment", admin, "application/jsonx", "{\"text\":\"x\"}", 415);
        post("/api/tickets/{id}/ack", "/api/tickets/999999/ack", "{}", 404);

        post("/api/tickets", "/api/tickets", "{\"title\":\"Printer on floor 3 jams\",\"severity\":\"info\",\"agentId\":\""
                + id + "\"}", 201);
        post("/api/tickets", "/api/tickets", "{\"title\":\"\"}", 400);
        call("POST", "/api/tickets", "/api/tickets", admin, null, 415);

        // alert intake
        JsonNode intake = post("/api/intake-tokens", "/api/intake-tokens", "{\"name\":\"contract\"}", 201).json();
        post("/api/intake-tokens", "/api/intake-tokens", "{\"name\":7}", 400);
        get("/api/intake-tokens", "/api/intake-tokens", 200);
        TestSupport.Auth intakeAuth = TestSupport.bearer(intake.path("token").asText());
        call("POST", "/api/intake/alertmanager", "/api/intake/alertmanager", intakeAuth, "{\"version\":\"4\",\"alerts\":["
                + "{\"status\":\"firing\",\"labels\":{\"alertname\":\"Up\",\"instance\":\"" + id + ":9100\"},"
                + "\"annotations\":{\"summary\":\"down\"},\"fingerprint\":\"abc123\"},{\"status\":\"firing\"}]}", 200);
        call("POST", "/api/intake/alertmanager", "/api/intake/alertmanager", intakeAuth, "{\"version\":\"4\",\"alerts\":["
                + "{\"status\":\"firing\"}]}", 400);
        call("POST", "/api/intake/alertmanager", "/api/intake/alertmanager", admin, "{\"version\":\"4\",\"alerts\":[]}", 401);
        call("POST", "/api/intake/alertmanager", "/api/intake/alertmanager", intakeAuth,
                "{\"version\":\"4\",\"alerts\":[],\"x\":\"" + "x".repeat(1100 * 1024) + "\"}", 413);
        call("DELETE", "/api/intake-tokens/{id}", "/api/intake-tokens/" + intake.path("id").asLong(), admin, null, 204);
        call("DELETE", "/api/intake-tokens/{id}", "/api/intake-tokens/" + intake.path("id").asLong(), admin, null, 404);

        // reports
        get("/api/reports/common-problems", "/api/reports/common-problems?days=7", 200);
        get("/api/reports/common-problems", "/api/reports/common-problems?days=30&groupBy=rule,site&sort=mttrSeconds&daily=true", 200);
        get("/api/reports/common-problems", "/api/reports/common-problems?days=0", 400);
        get("/api/reports/common-problems", "/api/reports/common-problems?groupBy=planet", 400);
        call("GET", "/api/reports/common-problems", "/api/reports/common-problems", TestSupport.Auth.NONE, null, 401);
        get("/api/reports/common-problems.csv", "/api/reports/common-problems.csv?days=90", 200);
        get("/api/reports/common-problems.csv", "/api/reports/common-problems.csv?days=100000", 400);
        call("GET", "/api/reports/common-problems.csv", "/api/reports/common-problems.csv", TestSupport.Auth.NONE, null, 401);
        get("/api/reports/service", "/api/reports/service?days=30", 200);
        get("/api/reports/service", "/api/reports/service?days=0", 400);
        call("GET", "/api/reports/service", "/api/reports/service", TestSupport.Auth.NONE, null, 401);
        get("/api/reports/digest", "/api/reports/digest", 200);
        post("/api/reports/digest", "/api/reports/digest", "{}", 201);

        // maintenance windows
        JsonNode w = post("/api/maintenance-windows", "/api/maintenance-windows",
                "{\"scope\":\"agent\",\"value\":\"" + id + "\",\"duration\":\"1h\",\"reason\":\"patching\"}", 201).json();
        post("/api/maintenance-windows", "/api/maintenance-windows", "{\"scope\":\"planet\",\"value\":\"x\"}", 400);
        get("/api/maintenance-windows", "/api/maintenance-windows", 200);
        get("/api/maintenance-windows", "/api/maintenance-windows?all=true", 200);
        post("/api/maintenance-windows/{id}/end", "/api/maintenance-windows/" + w.path("id").asLong() + "/end", "{}", 200);
        post("/api/maintenance-windows/{id}/end", "/api/maintenance-windows/999999/end", "{}", 404);

        // rules
        get("/api/rules", "/api/rules", 200);

        // reloadable configuration files: valid, then one rejected with its line and option
        get("/api/config-files", "/api/config-files", 200);
        try {
            java.nio.file.Files.writeString(dir.resolve("console").resolve("tickets.yaml"), "reopen_window: soon\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> console.configFiles().stream().anyMatch(f -> !f.valid()));
        get("/api/config-files", "/api/config-files", 200);

        // knowledge base
        get("/api/kb", "/api/kb?limit=5", 200);
        get("/api/kb", "/api/kb?q=disk%20full&os=linux", 200);
        get("/api/kb", "/api/kb?os=beos", 400);
        get("/api/kb/stats", "/api/kb/stats", 200);
        get("/api/kb/{id}", "/api/kb/kb-disk-cleanup", 200);
        get("/api/kb/{id}", "/api/kb/kb-none", 404);
        get("/api/kb/{id}/history", "/api/kb/kb-disk-cleanup/history", 200);
        get("/api/kb/{id}/history", "/api/kb/kb-none/history", 404);
        post("/api/kb", "/api/kb", "{\"id\":\"kb-contract\",\"title\":\"Contract\",\"tags\":\"a b\",\"os\":[\"linux\"]}", 201);
        post("/api/kb", "/api/kb", "{\"id\":\"kb-contract\",\"title\":\"Contract\"}", 409);
        post("/api/kb", "/api/kb", "{\"title\":\"\"}", 400);
        post("/api/kb", "/api/kb", "{\"fromTicket\":" + ticket + "}", 409);
        post("/api/kb", "/api/kb", "{\"fromTicket\":999999}", 404);
        post("/api/kb", "/api/kb", "{\"title\":\"Big\",\"fix\":\"" + "x".repeat(300 * 1024) + "\"}", 413);
        call("POST", "/api/kb", "/api/kb", admin, "text/plain", "{\"title\":\"Plain\"}", 415);
        call("PUT", "/api/kb/{id}", "/api/kb/kb-contract", admin, "{\"version\":1,\"status\":\"published\",\"note\":\"ok\"}", 200);
        call("PUT", "/api/kb/{id}", "/api/kb/kb-contract", admin, "{\"version\":1,\"title\":\"Stale\"}", 409);
        call("PUT", "/api/kb/{id}", "/api/kb/kb-none", admin, "{\"version\":1}", 404);
        call("PUT", "/api/kb/{id}", "/api/kb/kb-contract", admin, "{\"title\":\"no version\"}", 400);
        post("/api/kb/preview", "/api/kb/preview", "{\"markdown\":\"# Fix <script>x</script>\"}", 200);

        // enrollment tokens
        JsonNode token = post("/api/tokens", "/api/tokens", "{\"site\":\"lab\",\"ttl\":\"2h\",\"maxUses\":3}", 201).json();
        post("/api/tokens", "/api/tokens", "{\"ttl\":\"2h\"}", 400);
        get("/api/tokens", "/api/tokens", 200);
        call("DELETE", "/api/tokens/{id}", "/api/tokens/" + token.path("id").asText(), admin, null, 204);
        call("DELETE", "/api/tokens/{id}", "/api/tokens/" + token.path("id").asText(), admin, null, 404);
        // the agent install: no login; the new token's install code is good for one exchange
        call("GET", "/install/agent.sh", "/install/agent.sh", TestSupport.Auth.NONE, null, 200);
        int archive = Files.isRegularFile(Path.of("..", "agent", "target", "firstline-agent-linux-x64.tar.gz")) ? 200 : 404;
        call("GET", "/install/firstline-agent-linux-x64.tar.gz.sha256", "/install/firstline-agent-linux-x64.tar.gz.sha256",
                TestSupport.Auth.NONE, null, archive);
        call("GET", "/install/firstline-agent-linux-x64.tar.gz", "/install/firstline-agent-linux-x64.tar.gz", TestSupport.Auth.NONE,
                null, archive);
        call("POST", "/install/token", "/install/token", TestSupport.Auth.NONE, "text/plain", token.path("installCode").asText(), 200);
        call("POST", "/install/token", "/install/token", TestSupport.Auth.NONE, "text/plain", token.path("installCode").asText(), 410);

        // accounts
        get("/api/me", "/api/me", 200);
        post("/api/me/api-tokens", "/api/me/api-tokens", "{\"name\":\"contract test\"}", 201);
        JsonNode mine = post("/api/me/api-tokens", "/api/me/api-tokens", "{\"name\":\"expiring\",\"expiresIn\":\"30d\"}", 201).json();
        post("/api/me/api-tokens", "/api/me/api-tokens", "{\"expiresIn\":\"forever\"}", 400);
        get("/api/me/api-tokens", "/api/me/api-tokens", 200);
        get("/api/api-tokens", "/api/api-tokens", 200);
        call("DELETE", "/api/me/api-tokens/{id}", "/api/me/api-tokens/" + mine.path("id").asLong(), admin, null, 204);
        call("DELETE", "/api/me/api-tokens/{id}", "/api/me/api-tokens/" + mine.path("id").asLong(), admin, null, 404);
        call("DELETE", "/api/me/api-tokens/{id}", "/api/me/api-tokens/abc", admin, null, 400);
        JsonNode other = post("/api/me/api-tokens", "/api/me/api-tokens", "{\"name\":\"other\"}", 201).json();
        call("DELETE", "/api/api-tokens/{id}", "/api/api-tokens/" + other.path("id").asLong(), admin, null, 204);
        call("DELETE", "/api/api-tokens/{id}", "/api/api-tokens/999999", admin, null, 404);
        post("/api/me/password", "/api/me/password", "{\"current\":\"wrong\",\"password\":\"a much longer secret 123\"}", 403);
        post("/api/users", "/api/users", "{\"username\":\"erin\",\"role\":\"engineer\"}", 201);
        post("/api/users", "/api/users", "{\"username\":\"erin\",\"role\":\"engineer\"}", 409);
        get("/api/users", "/api/users", 200);
        post("/api/users/{name}/role", "/api/users/erin/role", "{\"role\":\"viewer\"}", 200);
        post("/api/users/{name}/role", "/api/users/erin/role", "{\"role\":\"emperor\"}", 400);
        post("/api/users/{name}/password-reset", "/api/users/erin/password-reset", "{}", 200);
        post("/api/users/{name}/disable", "/api/users/erin/disable", "{}", 200);
        post("/api/users/{name}/enable", "/api/users/erin/enable", "{}", 200);
        post("/api/users/{name}/enable", "/api/users/nobody/enable", "{}", 404);
        get("/api/audit", "/api/audit?limit=50", 200);

        // revocation last: it ends the agent's connection
        post("/api/agents/{id}/revoke", "/api/agents/no-such-agent/revoke", "{}", 404);
        post("/api/agents/{id}/revoke", "/api/agents/" + id + "/revoke", "{}", 200);
        get("/api/agents/{id}", "/api/agents/" + id, 200);

        Set<String> unexercised = new TreeSet<>(described());
        unexercised.removeAll(exercised);
        assertEquals(Set.of(), unexercised, "described routes this test never called: add a call above");
    }
}

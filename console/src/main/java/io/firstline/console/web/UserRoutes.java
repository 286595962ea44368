package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.CONFLICT;
import static io.netty.handler.codec.http.HttpResponseStatus.CREATED;
import static io.netty.handler.codec.http.HttpResponseStatus.NO_CONTENT;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.auth.Accounts;
import io.firstline.console.auth.ApiToken;
import io.firstline.console.auth.AuditLog;
import io.firstline.console.auth.Role;
import io.firstline.console.auth.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Admin API for users and the audit log: list and create users, change a
 * role, reset a password (a new one-time password is returned once; the
 * user's sessions end and their API tokens are revoked), disable and enable;
 * read the newest audit events. API tokens: every signed-in user lists,
 * creates and revokes their own ({@code /api/me/api-tokens}); admins list
 * and revoke everyone's ({@code /api/api-tokens}).
 */
final class UserRoutes {
    /** The longest a new API token may live; it may also never expire. */
    static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(365);
    private static final int TOKEN_LIST_LIMIT = 1000;

    private final Accounts accounts;
    private final Clock clock;

    UserRoutes(Accounts accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    void register(Router r) {
        r.get("/api/users", Router.Access.ADMIN, ex -> ex.respond(OK, accounts.users().list().stream().map(UserRoutes::json).toList()));
        r.post("/api/users", Router.Access.ADMIN, this::create);
        r.post("/api/users/{name}/role", Router.Access.ADMIN, this::role);
        r.post("/api/users/{name}/password-reset", Router.Access.ADMIN, ex -> {
            String name = userParam(ex);
            String pw = accounts.resetPassword(name).orElseThrow(() -> noUser(name));
            ex.respond(OK, Map.of("username", name, "password", pw));
        });
        r.post("/api/users/{name}/disable", Router.Access.ADMIN, ex -> disabled(ex, true));
        r.post("/api/users/{name}/enable", Router.Access.ADMIN, ex -> disabled(ex, false));
        r.get("/api/audit", Router.Access.ADMIN, ex -> ex.respond(OK,
                accounts.audit().latest(ex.intQueryParam("limit", 200, 1, 1000)).stream().map(UserRoutes::json).toList()));
        r.get("/api/me/api-tokens", Router.Access.SIGNED_IN, ex -> ex.respond(OK,
                accounts.apiTokens(ex.principal.username(), TOKEN_LIST_LIMIT).stream().map(this::json).toList()));
        r.post("/api/me/api-tokens", Router.Access.SIGNED_IN, this::createToken);
        r.delete("/api/me/api-tokens/{id}", Router.Access.SIGNED_IN, ex -> revoke(ex, ex.principal.username()));
        r.get("/api/api-tokens", Router.Access.ADMIN, ex -> ex.respond(OK,
                accounts.apiTokens("", TOKEN_LIST_LIMIT).stream().map(this::json).toList()));
        r.delete("/api/api-tokens/{id}", Router.Access.ADMIN, ex -> revoke(ex, ""));
    }

    /** {"name": up to 64 characters, default "script"; "expiresIn": optional duration, 1h to 365d}. */
    private void createToken(Exchange ex) {
        JsonNode body = ex.json();
        String name = Fields.name(body, "name");
        Duration lifetime = Fields.duration(body, "expiresIn", null, Duration.ofHours(1), MAX_TOKEN_LIFETIME);
        Accounts.NewApiToken t = accounts.createApiToken(ex.principal.username(), name.isEmpty() ? "script" : name, lifetime);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("token", t.secret());
        m.put("name", t.name());
        m.put("createdAt", t.createdAt());
        m.put("expiresAt", t.expiresAt());
        ex.respond(CREATED, m);
    }

    private void revoke(Exchange ex, String owner) {
        long id = ex.idParam("id");
        if (!accounts.revokeApiToken(id, owner)) {
            throw ApiError.notFound("no active API token " + id + (owner.isEmpty() ? "" : " of yours"));
        }
        ex.respond(ApiHandler.json(NO_CONTENT, ""));
    }

    private Map<String, Object> json(ApiToken t) {
        Instant now = clock.instant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("username", t.username());
        m.put("name", t.name());
        m.put("state", t.state(now));
        m.put("createdAt", t.createdAt());
        m.put("lastUsedAt", t.lastUsedAt());
        m.put("expiresAt", t.expiresAt());
        m.put("revokedAt", t.revokedAt());
        return m;
    }

    static Map<String, Object> json(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", u.username());
        m.put("role", u.role().label());
        m.put("disabled", u.disabled());
        m.put("createdAt", u.createdAt());
        return m;
    }

    static Map<String, Object> json(AuditLog.Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", e.at());
        m.put("actor", e.actor());
        m.put("action", e.action());
        m.put("subject", e.subject());
        try {
            m.put("detail", Json.MAPPER.readTree(e.detail()));
        } catch (java.io.IOException ex) {
            m.put("detail", e.detail());
        }
        return m;
    }

    private static Role role(JsonNode body) {
        String text = Fields.requiredLine(body, "role", Fields.NAME);
        try {
            return Role.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'role' must be admin, engineer or viewer, got " + Json.quote(text));
        }
    }

    /** The {name} path parameter, checked like a user name is when created. */
    private static String userParam(Exchange ex) {
        return Fields.checkLength("name", ex.param("name"), Fields.NAME);
    }

    private static ApiError noUser(String name) {
        return ApiError.notFound("no user " + Json.quote(name));
    }

    private void create(Exchange ex) {
        JsonNode body = ex.json();
        String name = Fields.name(body, "username");
        try {
            Accounts.checkUsername(name);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'username' " + e.getMessage().replaceFirst("^user name ", ""));
        }
        Optional<String> pw = accounts.createUser(name, role(body));
        if (pw.isEmpty()) {
            throw new ApiError(CONFLICT, "user " + Json.quote(name) + " exists");
        }
        ex.respond(CREATED, Map.of("username", name, "password", pw.get()));
    }

    private void role(Exchange ex) {
        String name = userParam(ex);
        Role role = role(ex.json());
        if (name.equals(ex.principal.username()) && role != Role.ADMIN) {
            throw ApiError.badRequest("you cannot take away your own admin role");
        }
        found(name, accounts.users().setRole(name, role));
        ex.respond(OK, Map.of("ok", true));
    }

    private void disabled(Exchange ex, boolean disabled) {
        String name = userParam(ex);
        if (disabled && name.equals(ex.principal.username())) {
            throw ApiError.badRequest("you cannot disable yourself");
        }
        found(name, accounts.users().setDisabled(name, disabled));
        ex.respond(OK, Map.of("ok", true));
    }

    private static void found(String name, boolean found) {
        if (!found) {
            throw noUser(name);
        }
    }
}

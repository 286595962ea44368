package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.CONFLICT;
import static io.netty.handler.codec.http.HttpResponseStatus.CREATED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.auth.Accounts;
import io.firstline.console.auth.AuditLog;
import io.firstline.console.auth.Role;
import io.firstline.console.auth.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Admin API for users and the audit log: list and create users, change a
 * role, reset a password (a new one-time password is returned once), disable
 * and enable; read the newest audit events. An API token for scripts can be
 * made by any signed-in user for themselves.
 */
final class UserRoutes {
    private final Accounts accounts;

    UserRoutes(Accounts accounts) {
        this.accounts = accounts;
    }

    void register(Router r) {
        r.get("/api/users", Router.Access.ADMIN, ex -> ex.respond(ApiHandler.json(OK,
                Json.write(accounts.users().list().stream().map(UserRoutes::json).toList()))));
        r.post("/api/users", Router.Access.ADMIN, this::create);
        r.post("/api/users/{name}/role", Router.Access.ADMIN, this::role);
        r.post("/api/users/{name}/password-reset", Router.Access.ADMIN, ex -> oneTimePassword(ex,
                accounts.resetPassword(ex.param("name")), OK));
        r.post("/api/users/{name}/disable", Router.Access.ADMIN, ex -> disabled(ex, true));
        r.post("/api/users/{name}/enable", Router.Access.ADMIN, ex -> disabled(ex, false));
        r.get("/api/audit", Router.Access.ADMIN, ex -> ex.respond(ApiHandler.json(OK,
                Json.write(accounts.audit().latest(Math.min(1000, intParam(ex, "limit", 200))).stream()
                        .map(UserRoutes::json).toList()))));
        r.post("/api/me/api-tokens", Router.Access.SIGNED_IN, ex -> {
            String name = ex.json().path("name").asText("script");
            String token = accounts.createApiToken(ex.principal.username(), name.isBlank() ? "script" : name);
            ex.respond(ApiHandler.json(CREATED, Json.write(Map.of("token", token, "name", name))));
        });
    }

    private static int intParam(Exchange ex, String name, int fallback) {
        try {
            return Integer.parseInt(ex.queryParam(name, String.valueOf(fallback)));
        } catch (NumberFormatException e) {
            throw new Exchange.BadRequest(name + " must be a whole number");
        }
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
        try {
            return Role.parse(body.path("role").asText(""));
        } catch (IllegalArgumentException e) {
            throw new Exchange.BadRequest(e.getMessage());
        }
    }

    private void create(Exchange ex) {
        JsonNode body = ex.json();
        String name = body.path("username").asText("");
        try {
            Accounts.checkUsername(name);
        } catch (IllegalArgumentException e) {
            throw new Exchange.BadRequest(e.getMessage());
        }
        Optional<String> pw = accounts.createUser(name, role(body));
        if (pw.isEmpty()) {
            ex.respond(ApiHandler.json(CONFLICT, Json.write(Map.of("error", "user " + name + " exists"))));
            return;
        }
        oneTimePassword(ex, pw, CREATED);
    }

    private void oneTimePassword(Exchange ex, Optional<String> pw, io.netty.handler.codec.http.HttpResponseStatus status) {
        String name = ex.path.startsWith("/api/users/") ? ex.param("name") : ex.json().path("username").asText("");
        if (pw.isEmpty()) {
            ex.respond(ApiHandler.json(NOT_FOUND, Json.write(Map.of("error", "no user " + name))));
            return;
        }
        ex.respond(ApiHandler.json(status, Json.write(Map.of("username", name, "password", pw.get()))));
    }

    private void role(Exchange ex) {
        Role role = role(ex.json());
        if (ex.param("name").equals(ex.principal.username()) && role != Role.ADMIN) {
            throw new Exchange.BadRequest("you cannot take away your own admin role");
        }
        found(ex, accounts.users().setRole(ex.param("name"), role));
    }

    private void disabled(Exchange ex, boolean disabled) {
        if (disabled && ex.param("name").equals(ex.principal.username())) {
            throw new Exchange.BadRequest("you cannot disable yourself");
        }
        found(ex, accounts.users().setDisabled(ex.param("name"), disabled));
    }

    private static void found(Exchange ex, boolean found) {
        ex.respond(found ? ApiHandler.json(OK, "{\"ok\":true}")
                : ApiHandler.json(NOT_FOUND, Json.write(Map.of("error", "no user " + ex.param("name")))));
    }
}

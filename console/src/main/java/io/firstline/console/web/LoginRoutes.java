package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.FORBIDDEN;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.TOO_MANY_REQUESTS;
import static io.netty.handler.codec.http.HttpResponseStatus.UNAUTHORIZED;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.auth.Accounts;
import io.firstline.console.auth.Principal;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Signing in and out. The password check (PBKDF2, slow on purpose) runs on
 * {@code slowWork}, never on the event loop. The session cookie is HttpOnly
 * and SameSite=Strict; the CSRF token comes back in the body and from
 * {@code GET /api/me}.
 */
final class LoginRoutes {
    private final Accounts accounts;
    private final Executor slowWork;
    private final boolean secureCookies;

    LoginRoutes(Accounts accounts, Executor slowWork, boolean secureCookies) {
        this.accounts = accounts;
        this.slowWork = slowWork;
        this.secureCookies = secureCookies;
    }

    void register(Router r, StaticAssets assets) {
        r.get("/login", Router.Access.ANYONE, ex -> ex.respond(assets.page("login.html")));
        r.post("/login", Router.Access.ANYONE, this::login);
        r.post("/logout", Router.Access.SIGNED_IN, this::logout);
        r.post("/api/me/password", Router.Access.SIGNED_IN, this::changePassword);
        r.get("/api/me", Router.Access.SIGNED_IN, ex -> ex.respond(ApiHandler.json(OK, Json.write(me(ex.principal)))));
    }

    static Map<String, Object> me(Principal p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", p.username());
        m.put("role", p.role().label());
        m.put("csrfToken", p.csrfToken());
        return m;
    }

    private void login(Exchange ex) {
        JsonNode body = ex.json();
        String username = body.path("username").asText("").trim();
        String password = body.path("password").asText("");
        String remote = ex.remote();
        try {
            slowWork.execute(() -> ex.respond(answer(accounts.login(username, password, remote))));
        } catch (RejectedExecutionException e) {
            ex.respond(ApiHandler.json(TOO_MANY_REQUESTS, "{\"error\":\"too many logins at once; try again\"}"));
        }
    }

    private FullHttpResponse answer(Accounts.LoginResult result) {
        if (result instanceof Accounts.LoginResult.Ok ok) {
            FullHttpResponse r = ApiHandler.json(OK, Json.write(me(ok.session().principal())));
            r.headers().add(HttpHeaderNames.SET_COOKIE, cookie(ok.session().sessionId(), Accounts.SESSION_LIFETIME.toSeconds()));
            return r;
        }
        if (result instanceof Accounts.LoginResult.Throttled t) {
            FullHttpResponse r = ApiHandler.json(TOO_MANY_REQUESTS, "{\"error\":\"too many failed logins; wait and try again\"}");
            r.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, t.retryAfter().toSeconds()));
            return r;
        }
        return ApiHandler.json(UNAUTHORIZED, "{\"error\":\"wrong user name or password\"}");
    }

    /** {"current", "password"}: a user's own new password; signs out their sessions, so the page signs in again. */
    private void changePassword(Exchange ex) {
        JsonNode body = ex.json();
        String current = body.path("current").asText("");
        String replacement = body.path("password").asText("");
        String user = ex.principal.username();
        String remote = ex.remote();
        try {
            slowWork.execute(() -> {
                FullHttpResponse r;
                try {
                    r = accounts.changePassword(user, current, replacement, remote)
                            ? ApiHandler.json(OK, "{\"changed\":true}")
                            : ApiHandler.json(FORBIDDEN, "{\"error\":\"the current password is wrong\"}");
                } catch (IllegalArgumentException e) {
                    r = ApiHandler.json(BAD_REQUEST, Json.write(Map.of("error", e.getMessage())));
                }
                ex.respond(r);
            });
        } catch (RejectedExecutionException e) {
            ex.respond(ApiHandler.json(TOO_MANY_REQUESTS, "{\"error\":\"busy; try again\"}"));
        }
    }

    private void logout(Exchange ex) {
        String session = ex.ctx.channel().attr(AuthGate.SESSION_ID).get();
        if (session != null) {
            accounts.logout(session, ex.principal, ex.remote());
        }
        FullHttpResponse r = ApiHandler.json(OK, "{\"signedOut\":true}");
        r.headers().add(HttpHeaderNames.SET_COOKIE, cookie("", 0));
        ex.respond(r);
    }

    private String cookie(String value, long maxAgeSeconds) {
        DefaultCookie c = new DefaultCookie(AuthGate.SESSION_COOKIE, value);
        c.setHttpOnly(true);
        c.setSameSite(SameSite.Strict);
        c.setPath("/");
        c.setMaxAge(maxAgeSeconds);
        c.setSecure(secureCookies);
        return ServerCookieEncoder.STRICT.encode(c);
    }
}

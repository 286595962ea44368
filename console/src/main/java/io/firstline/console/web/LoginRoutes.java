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
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Signing in and out. The password check (PBKDF2, slow on purpose) runs on
 * {@code slowWork}, never on the event loop. The session cookie is HttpOnly
 * and SameSite=Strict; the CSRF token comes back in the body and from
 * {@code GET /api/me}. Where the browser goes after signing in is decided
 * here ({@code redirect} in the answer): the {@code next} it asked for only
 * when that is one of the console's pages, else the fleet; the account page
 * while the password is one-time.
 */
final class LoginRoutes {
    /** The longest password accepted (PBKDF2 of a megabyte would be a cheap way to burn CPU). */
    static final int MAX_PASSWORD = 1024;
    /** Where a signed-in user lands when {@code next} is absent or refused. */
    static final String HOME = "/fleet";
    /** Where a session with a one-time password is sent: the page that changes it. */
    static final String ACCOUNT = "/account";
    private static final Pattern SAFE_TARGET = Pattern.compile("/[A-Za-z0-9._~%/-]*(\\?[A-Za-z0-9._~%&=+,-]*)?");

    private final Accounts accounts;
    private final Executor slowWork;
    private final boolean secureCookies;
    private final Predicate<String> isPage;

    /** @param isPage whether a raw path is one of the console's pages (the only places {@code next} may lead) */
    LoginRoutes(Accounts accounts, Executor slowWork, boolean secureCookies, Predicate<String> isPage) {
        this.accounts = accounts;
        this.slowWork = slowWork;
        this.secureCookies = secureCookies;
        this.isPage = isPage;
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
        m.put("mustChangePassword", p.mustChangePassword());
        return m;
    }

    /** {"username", "password", "next"}; the answer says where to go in {@code redirect}. */
    private void login(Exchange ex) {
        JsonNode body = ex.json();
        String username = Fields.name(body, "username");
        String password = passwordField(body, "password");
        String next = redirectTarget(Fields.line(body, "next", Fields.SHORT));
        String remote = ex.remote();
        try {
            slowWork.execute(() -> ex.respond(answer(accounts.login(username, password, remote), next)));
        } catch (RejectedExecutionException e) {
            ex.respond(ApiHandler.json(TOO_MANY_REQUESTS, "{\"error\":\"too many logins at once; try again\"}"));
        }
    }

    private static String passwordField(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw ApiError.badRequest("'" + field + "' must be a string");
        }
        return Fields.checkLength(field, v == null || v.isNull() ? "" : v.textValue(), MAX_PASSWORD);
    }

    /**
     * Where to send the browser after signing in: {@code next} when it is a
     * plain path (no scheme, host, backslash or {@code //}) to one of the
     * console's pages, else {@link #HOME}.
     */
    String redirectTarget(String next) {
        if (next.isEmpty() || !SAFE_TARGET.matcher(next).matches() || next.startsWith("//")) {
            return HOME;
        }
        int q = next.indexOf('?');
        String path = q < 0 ? next : next.substring(0, q);
        try {
            return isPage.test(path) ? next : HOME;
        } catch (IllegalArgumentException e) {
            return HOME;
        }
    }

    private FullHttpResponse answer(Accounts.LoginResult result, String next) {
        if (result instanceof Accounts.LoginResult.Ok ok) {
            Map<String, Object> me = me(ok.session().principal());
            me.put("redirect", ok.session().principal().mustChangePassword() ? ACCOUNT : next);
            FullHttpResponse r = ApiHandler.json(OK, Json.write(me));
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
        String current = passwordField(body, "current");
        String replacement = passwordField(body, "password");
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

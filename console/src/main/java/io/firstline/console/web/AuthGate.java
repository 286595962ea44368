package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.FORBIDDEN;
import static io.netty.handler.codec.http.HttpResponseStatus.UNAUTHORIZED;

import io.firstline.console.auth.Accounts;
import io.firstline.console.auth.Principal;
import io.firstline.console.auth.Secrets;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides who a request comes from and whether it may go on. Open to anyone:
 * {@code /healthz}, {@code /metrics}, {@code /api/openapi.json}, the login
 * page and static files; {@code /api/intake/alertmanager} checks its own
 * intake tokens (a role that can do nothing else, so no user principal).
 * Everything else needs a session cookie or an API token: {@code /api/...}
 * and {@code /live/...} answer 401 without one, pages redirect to the login.
 * A state-changing request (not GET or HEAD) made with a session must come
 * from this console's origin and carry the session's CSRF token in
 * {@value #CSRF_HEADER}; a viewer may change nothing but their own session
 * and password, and revoke their own API tokens. A browser session signed in with a one-time
 * password may only read {@code /api/me}, change the password and sign out
 * (pages send it to the account page); API tokens are not held back. Every
 * state-changing request that passes is written to the audit log with the
 * status it got.
 *
 * <p>One instance per connection: it remembers the request to audit until
 * its response goes out.
 */
final class AuthGate extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(AuthGate.class);
    static final AttributeKey<Principal> PRINCIPAL = AttributeKey.valueOf("firstline.principal");
    static final AttributeKey<String> SESSION_ID = AttributeKey.valueOf("firstline.session");
    static final String SESSION_COOKIE = "fl_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** Set on every request that goes on: who is signed in (empty for anonymous); never taken from the client. */
    static final String ACTOR_HEADER = "X-Firstline-Actor";
    private static final Set<String> OPEN = Set.of("/healthz", "/metrics", "/login", "/favicon.ico", OpenApi.PATH,
            IntakeApi.ALERTMANAGER);
    /** Where a session with a one-time password may go: the account page and what it needs. */
    private static final Set<String> ONE_TIME_MAY = Set.of("/logout", "/api/me", "/api/me/password", "/account", "/login");

    private final Accounts accounts;
    private String pendingAudit;
    private Principal pendingActor;

    AuthGate(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        // /install/...: the agent install script, archive and checksum, and the install-code exchange (no secrets in, one out per code).
        boolean open = OPEN.contains(path) || path.startsWith("/static/") || path.startsWith("/webjars/") || path.startsWith("/install/");
        String[] session = new String[1];
        // Static files need no user: skip the store lookup for them.
        boolean asset = path.startsWith("/static/") || path.startsWith("/webjars/");
        Principal p = asset ? Principal.ANONYMOUS : authenticate(req, session);
        ctx.channel().attr(PRINCIPAL).set(p);
        ctx.channel().attr(SESSION_ID).set(session[0]);
        boolean changes = !req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD);
        FullHttpResponse refusal = null;
        if (!p.authenticated() && !open) {
            refusal = path.startsWith("/api") || path.startsWith("/live/") ? unauthorized() : redirectToLogin(req.uri());
        } else if (changes && !p.viaApiToken()) {
            if (!Origins.sameOrigin(req)) {
                refusal = ApiHandler.error(FORBIDDEN, "cross-origin request refused");
            } else if (p.authenticated() && !Secrets.same(p.csrfToken(), req.headers().get(CSRF_HEADER))) {
                refusal = ApiHandler.error(FORBIDDEN, "missing or wrong CSRF token");
            }
        }
        if (refusal == null && changes && p.authenticated() && !p.role().canChange() && !viewerMay(path)) {
            refusal = ApiHandler.error(FORBIDDEN, "viewers cannot change anything");
        }
        if (refusal == null && p.mustChangePassword() && !ONE_TIME_MAY.contains(path)) {
            refusal = path.startsWith("/api") || path.startsWith("/live/") || changes
                    ? ApiHandler.error(FORBIDDEN, "change your one-time password first: POST /api/me/password on the account page")
                    : WebHandler.redirect(LoginRoutes.ACCOUNT);
        }
        if (changes && p.authenticated()) {
            pendingAudit = req.method() + " " + path;
            pendingActor = p;
        }
        if (refusal != null) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            req.release();
            ApiHandler.send(ctx, refusal, keepAlive);
            return;
        }
        req.headers().remove(ACTOR_HEADER);
        if (p.authenticated()) {
            req.headers().set(ACTOR_HEADER, p.username());
        }
        ctx.fireChannelRead(req);
    }

    private Principal authenticate(FullHttpRequest req, String[] sessionOut) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return accounts.apiToken(auth.substring(7).trim()).orElse(Principal.ANONYMOUS);
        }
        String cookieHeader = req.headers().get(HttpHeaderNames.COOKIE);
        if (cookieHeader == null) {
            return Principal.ANONYMOUS;
        }
        for (Cookie c : ServerCookieDecoder.STRICT.decode(cookieHeader)) {
            if (c.name().equals(SESSION_COOKIE)) {
                Optional<Principal> p = accounts.session(c.value());
                if (p.isPresent()) {
                    sessionOut[0] = c.value();
                    return p.get();
                }
            }
        }
        return Principal.ANONYMOUS;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && pendingAudit != null) {
            String action = pendingAudit;
            Principal who = pendingActor;
            pendingAudit = null;
            pendingActor = null;
            try {
                accounts.audit().record(who.username() + (who.viaApiToken() ? " (api token)" : ""), action, "",
                        String.valueOf(r.status().code()), remote(ctx));
            } catch (RuntimeException e) {
                log.error("cannot write the audit log for {} by {}", action, who.username(), e);
            }
        }
        ctx.write(msg, promise);
    }

    /** A viewer's own session and password, and revoking their own API tokens (an admin made them). */
    private static boolean viewerMay(String path) {
        return path.equals("/logout") || path.equals("/api/me/password") || path.startsWith("/api/me/api-tokens/");
    }

    static String remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
    }

    private static FullHttpResponse unauthorized() {
        FullHttpResponse r = ApiHandler.json(UNAUTHORIZED, "{\"error\":\"sign in or send Authorization: Bearer <token>\"}");
        r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"firstline\"");
        return r;
    }

    private static FullHttpResponse redirectToLogin(String uri) {
        return WebHandler.redirect("/login?next=" + URLEncoder.encode(uri, StandardCharsets.UTF_8));
    }
}

package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.FORBIDDEN;
import static io.netty.handler.codec.http.HttpResponseStatus.FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;

import io.firstline.console.auth.Principal;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every route of the {@link Router}: pages, login, the live feed and
 * the whole {@code /api}; static files first. A path the router knows with
 * another method answers 405 with {@code Allow}; any other request goes on to
 * {@link ApiHandler} ({@code /healthz}, {@code /metrics}, 404). Runs after
 * {@link AuthGate}, which has already refused anonymous callers, viewers'
 * changes and requests without a CSRF token. A client mistake
 * ({@link ApiError}) answers its status with the message; anything else is a
 * bug in the console: 500, logged with its stack trace.
 */
@Sharable
final class WebHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebHandler.class);

    private final Router router;
    private final StaticAssets assets;

    WebHandler(Router router, StaticAssets assets) {
        this.router = router;
        this.assets = assets;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Principal p = Optional.ofNullable(ctx.channel().attr(AuthGate.PRINCIPAL).get()).orElse(Principal.ANONYMOUS);
        Exchange ex = new Exchange(ctx, req, p);
        try {
            Optional<FullHttpResponse> file = assets.serve(ex.path, req.headers().get(HttpHeaderNames.IF_NONE_MATCH));
            if (file.isPresent()) {
                ex.respond(file.get());
                return;
            }
            Optional<Router.Match> m = router.match(req.method(), ex.rawPath);
            if (m.isEmpty()) {
                Set<String> allowed = router.methods(ex.rawPath);
                if (!allowed.isEmpty()) {
                    FullHttpResponse r = ApiHandler.error(METHOD_NOT_ALLOWED,
                            Fields.clip(req.method().name()) + " is not supported here; allowed: " + String.join(", ", allowed));
                    r.headers().set(HttpHeaderNames.ALLOW, String.join(", ", allowed));
                    ex.respond(r);
                    return;
                }
                ctx.fireChannelRead(req.retain());
                return;
            }
            if (m.get().route().access() == Router.Access.ADMIN && !p.role().isAdmin()) {
                ex.respond(ApiHandler.json(FORBIDDEN, "{\"error\":\"only admins may do this\"}"));
                return;
            }
            ex.params(m.get().params());
            m.get().route().handler().handle(ex);
        } catch (ApiError e) {
            ex.respond(e.response());
        } catch (Exception e) {
            log.error("error serving {} {}", req.method(), ex.rawPath, e);
            ex.respond(ApiHandler.json(INTERNAL_SERVER_ERROR, "{\"error\":\"internal error; see the console log\"}"));
        } finally {
            req.release();
        }
    }

    static FullHttpResponse redirect(String location) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, FOUND, Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }
}

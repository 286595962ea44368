package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import io.firstline.console.auth.Accounts;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.fleet.HistoryView;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The browser-facing part of the HTTP server: the pages and their routes,
 * sign-in, the live feed, the one {@link Router} that the API modules are
 * registered on, and the handlers it puts into each connection's pipeline
 * ahead of {@link ApiHandler}.
 */
public final class WebConsole implements AutoCloseable {
    private final Accounts accounts;
    private final Router router = new Router();
    private final Set<String> pages = new HashSet<>();
    private final StaticAssets assets = new StaticAssets();
    private final SecurityHeaders headers = new SecurityHeaders();
    private final WebHandler handler;
    private final ConnectionErrors errors = new ConnectionErrors();
    private final LiveFeed live;
    private final ThreadPoolExecutor slowWork;

    /**
     * @param liveLoop the event loop the live feed runs on (one of the HTTP workers)
     */
    public WebConsole(Accounts accounts, FleetState fleet, OpenTickets tickets, EventExecutor liveLoop) {
        this.accounts = accounts;
        this.slowWork = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32),
                new DefaultThreadFactory("firstline-login", true));
        this.live = new LiveFeed(fleet, tickets, liveLoop);
        new LoginRoutes(accounts, slowWork, false, this::isPage).register(router, assets);
        new UserRoutes(accounts, Clock.systemUTC()).register(router);
        router.get("/", Router.Access.SIGNED_IN, ex -> ex.respond(WebHandler.redirect(LoginRoutes.HOME)));
        page("/fleet", Router.Access.SIGNED_IN, "fleet.html");
        page("/hosts/{id}", Router.Access.SIGNED_IN, "host.html");
        page("/tickets", Router.Access.SIGNED_IN, "tickets.html");
        page("/kb", Router.Access.SIGNED_IN, "kb.html");
        page("/kb/{id}", Router.Access.SIGNED_IN, "kb-article.html");
        page("/kb/{id}/edit", Router.Access.SIGNED_IN, "kb-edit.html");
        page("/reports", Router.Access.SIGNED_IN, "reports.html");
        page("/admin", Router.Access.ADMIN, "admin.html");
        page("/account", Router.Access.SIGNED_IN, "account.html");
        router.get("/live/fleet", Router.Access.SIGNED_IN, live::open);
        router.get("/api/agents/{id}/history", Router.Access.SIGNED_IN, ex -> ex.respond(fleet.history(ex.param("id"))
                .map(h -> ApiHandler.json(OK, Json.write(history(h))))
                .orElseGet(() -> ApiHandler.error(NOT_FOUND, "no agent with id " + Json.quote(Fields.clip(ex.param("id")))))));
        this.handler = new WebHandler(router, assets);
    }

    private void page(String pattern, Router.Access access, String file) {
        router.get(pattern, access, ex -> ex.respond(assets.page(file)));
        pages.add(pattern);
    }

    /** Whether a raw path is one of the console's pages (where a sign-in may lead). */
    boolean isPage(String rawPath) {
        return router.match(HttpMethod.GET, rawPath).map(m -> pages.contains(m.route().pattern())).orElse(false);
    }

    /** The one route table; {@link HttpServer} registers the API modules on it. */
    Router router() {
        return router;
    }



    static Map<String, Object> history(HistoryView h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stepSeconds", h.stepSeconds());
        m.put("times", h.times());
        Map<String, Object> series = new LinkedHashMap<>();
        for (int i = 0; i < h.names().size(); i++) {
            double[] v = h.series()[i];
            Double[] boxed = new Double[v.length];
            for (int j = 0; j < v.length; j++) {
                boxed[j] = Double.isNaN(v[j]) ? null : v[j];
            }
            series.put(h.names().get(i), boxed);
        }
        m.put("series", series);
        return m;
    }

    /**
     * Builds a new connection's pipeline after the HTTP codec: the security
     * headers first (so every response, refusals included, carries them),
     * the request guard (414, 431, 400, per-route 413), the aggregator, the
     * gate and the routes. {@link HttpServer} adds {@link ApiHandler} and
     * {@link #errors()} after them.
     */
    void addTo(ChannelPipeline p) {
        p.addLast("securityHeaders", headers);
        p.addLast("guard", new RequestGuard(router));
        p.addLast("keepAlive", new HttpServerKeepAliveHandler());
        p.addLast("aggregate", new HttpObjectAggregator(router.maxBodyLimit()));
        p.addLast("authGate", new AuthGate(accounts));
        p.addLast("web", handler);
    }

    /** Last in every pipeline, after {@link ApiHandler}: closes a broken connection without a stack trace. */
    ConnectionErrors errors() {
        return errors;
    }

    int liveClients() {
        return live.clients();
    }

    @Override
    public void close() {
        live.close();
        slowWork.shutdownNow();
    }
}

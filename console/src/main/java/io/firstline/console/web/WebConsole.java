package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import io.firstline.console.auth.Accounts;
import io.firstline.console.fleet.FleetState;
import io.firstline.console.fleet.HistoryView;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The browser-facing part of the HTTP server: the pages and their routes,
 * sign-in, the live feed, and the handlers it puts into each connection's
 * pipeline ahead of {@link ApiHandler}.
 */
public final class WebConsole implements AutoCloseable {
    private final Accounts accounts;
    private final Router router = new Router();
    private final StaticAssets assets = new StaticAssets();
    private final SecurityHeaders headers = new SecurityHeaders();
    private final WebHandler handler;
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
        new LoginRoutes(accounts, slowWork, false).register(router, assets);
        new UserRoutes(accounts).register(router);
        router.get("/", Router.Access.SIGNED_IN, ex -> ex.respond(WebHandler.redirect("/fleet")));
        router.get("/fleet", Router.Access.SIGNED_IN, ex -> ex.respond(assets.page("fleet.html")));
        router.get("/hosts/{id}", Router.Access.SIGNED_IN, ex -> ex.respond(assets.page("host.html")));
        router.get("/tickets", Router.Access.SIGNED_IN, ex -> ex.respond(assets.page("tickets.html")));
        router.get("/admin", Router.Access.ADMIN, ex -> ex.respond(assets.page("admin.html")));
        router.get("/account", Router.Access.SIGNED_IN, ex -> ex.respond(assets.page("account.html")));
        router.get("/live/fleet", Router.Access.SIGNED_IN, live::open);
        router.get("/api/agents/{id}/history", Router.Access.SIGNED_IN, ex -> ex.respond(fleet.history(ex.param("id"))
                .map(h -> ApiHandler.json(OK, Json.write(history(h))))
                .orElseGet(() -> ApiHandler.json(NOT_FOUND, Json.write(Map.of("error", "no agent with id " + ex.param("id")))))));
        this.handler = new WebHandler(router, assets);
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

    /** Adds the security headers, the gate and the web routes to a new connection's pipeline. */
    void addTo(ChannelPipeline p) {
        p.addLast("securityHeaders", headers);
        p.addLast("authGate", new AuthGate(accounts));
        p.addLast("web", handler);
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

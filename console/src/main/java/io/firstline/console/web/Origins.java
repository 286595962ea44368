package io.firstline.console.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The same-origin check for the live connection and for state-changing
 * requests: an {@code Origin} header, when the browser sends one, must name
 * this console (the request's {@code Host}); {@code Sec-Fetch-Site}, when
 * present, must not say the request came from another site.
 */
final class Origins {
    private Origins() {
    }

    static boolean sameOrigin(HttpRequest req) {
        String fetchSite = req.headers().get("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return false;
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return true;
        }
        String host = req.headers().get(HttpHeaderNames.HOST);
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI u = new URI(origin);
            if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                return false;
            }
            String authority = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
            String defaultPort = "http".equals(u.getScheme()) ? ":80" : ":443";
            return authority.equalsIgnoreCase(host) || (authority + defaultPort).equalsIgnoreCase(host);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}

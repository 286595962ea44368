package io.firstline.console.notify;

import java.net.URI;
import java.util.Objects;

/**
 * A receiver of ticket notifications: a URL and the body shape it wants,
 * generic JSON or a PagerDuty Events v2 event (with its routing key).
 */
public record WebhookTarget(String name, URI url, Format format, String routingKey, Route route) implements NotifyTarget {
    public enum Format { GENERIC, PAGERDUTY }

    public WebhookTarget {
        TargetNames.check(name);
        Objects.requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("target " + name + ": url must be http or https: " + url);
        }
        if (url.getHost() == null) {
            // e.g. "http:hook" or "http://a..b/": java.net.URI accepts them, but there is nothing to connect to
            throw new IllegalArgumentException("target " + name + ": url has no host name: " + url);
        }
        Objects.requireNonNull(format, "format");
        routingKey = routingKey == null ? "" : routingKey;
        if (format == Format.PAGERDUTY && routingKey.isEmpty()) {
            throw new IllegalArgumentException("target " + name + ": a PagerDuty target needs a routing_key");
        }
        route = route == null ? Route.ALL : route;
    }

    /** A target for every ticket notification. */
    public WebhookTarget(String name, URI url, Format format, String routingKey) {
        this(name, url, format, routingKey, Route.ALL);
    }

    @Override
    public Channel channel() {
        return Channel.WEBHOOK;
    }
}

package io.firstline.console.notify;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A receiver of ticket notifications: a URL and the body shape it wants,
 * generic JSON or a PagerDuty Events v2 event (with its routing key).
 */
public record WebhookTarget(String name, URI url, Format format, String routingKey) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public enum Format { GENERIC, PAGERDUTY }

    public WebhookTarget {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("target name must match " + NAME + ": " + name);
        }
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
    }
}

package io.firstline.agent.link;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How the link secures each new connection: the TLS context to use, asked
 * afresh for every connection attempt so that a renewed certificate is picked
 * up without a restart.
 */
public record LinkSecurity(Supplier<SslContext> context) {
    public LinkSecurity {
        Objects.requireNonNull(context, "context");
    }

    public static LinkSecurity of(SslContext context) {
        return new LinkSecurity(() -> context);
    }
}

package io.firstline.console.notify;

/** A receiver of ticket notifications, named in {@code notifications.yaml}, with the tickets it wants. */
public sealed interface NotifyTarget permits WebhookTarget, EmailTarget {
    String name();

    Route route();

    /** The delivery thread that serves this target: a slow mail server never holds up webhooks, nor the reverse. */
    Channel channel();

    enum Channel { WEBHOOK, EMAIL }
}

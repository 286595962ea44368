package io.firstline.console.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code DATA/notifications.yaml} says: the webhook and e-mail targets,
 * the SMTP server for the e-mail ones, and the console's address for links.
 */
public record Notifications(List<WebhookTarget> webhooks, List<EmailTarget> email, Optional<SmtpSettings> smtp,
                            String consoleUrl) {
    public static final Notifications NONE = new Notifications(List.of(), List.of(), Optional.empty(), "");

    public Notifications {
        webhooks = List.copyOf(webhooks);
        email = List.copyOf(email);
        consoleUrl = consoleUrl == null ? "" : consoleUrl;
        if (!email.isEmpty() && smtp.isEmpty()) {
            throw new IllegalArgumentException("e-mail targets need an 'smtp:' section");
        }
    }

    public static Notifications webhooks(List<WebhookTarget> webhooks) {
        return new Notifications(webhooks, List.of(), Optional.empty(), "");
    }

    /** Every target, webhooks first. */
    public List<NotifyTarget> targets() {
        List<NotifyTarget> all = new ArrayList<>(webhooks);
        all.addAll(email);
        return all;
    }

    public Optional<NotifyTarget> target(String name) {
        return targets().stream().filter(t -> t.name().equals(name)).findFirst();
    }
}

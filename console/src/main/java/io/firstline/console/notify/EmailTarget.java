package io.firstline.console.notify;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;

/** People told by e-mail, through the {@code smtp:} server of {@code notifications.yaml}. */
public record EmailTarget(String name, List<String> to, Route route) implements NotifyTarget {
    public EmailTarget {
        TargetNames.check(name);
        to = List.copyOf(to);
        if (to.isEmpty()) {
            throw new IllegalArgumentException("an e-mail target needs at least one address in 'to'");
        }
        for (String a : to) {
            address(a);
        }
        route = route == null ? Route.ALL : route;
    }

    /** Parses one address strictly (RFC 822 syntax, with a domain). */
    static InternetAddress address(String text) {
        try {
            InternetAddress a = new InternetAddress(text, true);
            if (a.getAddress() == null || a.getAddress().indexOf('@') < 1) {
                throw new IllegalArgumentException("'" + text + "' is not an e-mail address (user@domain)");
            }
            return a;
        } catch (AddressException e) {
            throw new IllegalArgumentException("'" + text + "' is not an e-mail address: " + e.getMessage());
        }
    }

    InternetAddress[] recipients() {
        List<InternetAddress> out = new ArrayList<>();
        for (String a : to) {
            out.add(address(a));
        }
        return out.toArray(InternetAddress[]::new);
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }
}

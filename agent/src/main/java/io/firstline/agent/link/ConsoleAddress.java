package io.firstline.agent.link;

import io.firstline.wire.WireProtocol;
import java.util.ArrayList;
import java.util.List;

/** A console's agent-link address, written {@code HOST[:PORT]} ({@code [v6]:PORT} for IPv6). */
public record ConsoleAddress(String host, int port) {
    public ConsoleAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("console host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("console port must be 1-65535, got " + port);
        }
    }

    public static ConsoleAddress parse(String text) {
        String s = text == null ? "" : text.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (missing ']')");
            }
            host = s.substring(1, end);
            if (s.length() > end + 1) {
                if (s.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
                }
                port = s.substring(end + 2);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "': write an IPv6 address as [ADDR]:PORT");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        int p = WireProtocol.DEFAULT_AGENT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number");
            }
        }
        return new ConsoleAddress(host, p);
    }

    /** Parses a comma-separated list, the failover order. */
    public static List<ConsoleAddress> parseList(String text) {
        List<ConsoleAddress> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no console address given");
        }
        return out;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}

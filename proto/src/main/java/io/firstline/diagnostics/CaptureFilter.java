package io.firstline.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The closed grammar of a packet capture's filter, a small subset of pcap
 * filter syntax:
 *
 * <pre>
 *   filter := term (("and" | "or") term)*          at most 8 terms
 *   term   := ["not"] primitive
 *   primitive := "host" HOST | "port" 1-65535 | "tcp" | "udp" | "icmp" | "icmp6" | "arp"
 * </pre>
 *
 * Nothing else is accepted (no parentheses, no byte offsets, no raw BPF), so
 * the words handed to tcpdump are always ones this class wrote, each its own
 * argument; an empty filter captures everything on the interface.
 */
public record CaptureFilter(List<String> words) {
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp", "icmp6", "arp");
    static final int MAX_TERMS = 8;

    public CaptureFilter {
        words = List.copyOf(words);
    }

    /** The canonical text: the words joined by single spaces. */
    public String text() {
        return String.join(" ", words);
    }

    /** Parses {@code text}; {@link InvalidParameter} names {@code param} for anything outside the grammar. */
    public static CaptureFilter parse(String text, String param) {
        String[] tokens = text.strip().isEmpty() ? new String[0] : text.strip().toLowerCase(Locale.ROOT).split("\\s+");
        List<String> out = new ArrayList<>();
        int i = 0;
        int terms = 0;
        while (i < tokens.length) {
            if (terms > 0) {
                if (!tokens[i].equals("and") && !tokens[i].equals("or")) {
                    throw bad(param, "expected 'and' or 'or' before " + Param.quote(tokens[i]));
                }
                out.add(tokens[i++]);
                if (i == tokens.length) {
                    throw bad(param, "ends with '" + out.get(out.size() - 1) + "'");
                }
            }
            if (tokens[i].equals("not")) {
                out.add(tokens[i++]);
                if (i == tokens.length) {
                    throw bad(param, "ends with 'not'");
                }
            }
            String t = tokens[i++];
            if (PROTOCOLS.contains(t)) {
                out.add(t);
            } else if (t.equals("host") || t.equals("port")) {
                if (i == tokens.length) {
                    throw bad(param, "'" + t + "' needs a value");
                }
                String v = tokens[i++];
                if (t.equals("host")) {
                    String h = Param.hostOrNull(v);
                    if (h == null) {
                        throw bad(param, "'host' needs a host name or address, got " + Param.quote(v));
                    }
                    out.add("host");
                    out.add(h);
                } else {
                    int port;
                    try {
                        port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        port = 0;
                    }
                    if (port < 1 || port > 65535) {
                        throw bad(param, "'port' needs a number from 1 to 65535, got " + Param.quote(v));
                    }
                    out.add("port");
                    out.add(Integer.toString(port));
                }
            } else {
                throw bad(param, "does not know " + Param.quote(t) + " (it takes host H, port N, tcp, udp, icmp, icmp6, arp, "
                        + "joined by and/or, each optionally after not)");
            }
            if (++terms > MAX_TERMS) {
                throw bad(param, "has more than " + MAX_TERMS + " terms");
            }
        }
        return new CaptureFilter(out);
    }

    private static InvalidParameter bad(String param, String problem) {
        return new InvalidParameter(param, "'" + param + "' " + problem);
    }
}

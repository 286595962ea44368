package io.firstline.diagnostics;

import com.google.re2j.PatternSyntaxException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One typed parameter of an action: its name, what values it takes, and its
 * default when it is optional. {@link #check} turns the text a request sent
 * into the canonical text the action uses, or throws {@link InvalidParameter}
 * naming the parameter. Both sides run the same checks: the console before it
 * sends anything, the agent again on receipt.
 */
public record Param(String name, Kind kind, boolean required, String fallback) {
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern LOG_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9@._:\\\\-]{0,254}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,14}");
    /** Longest grep pattern, in characters. */
    public static final int MAX_GREP = 256;
    /** Longest URL, in characters. */
    public static final int MAX_URL = 2048;
    /** Longest path, in characters. */
    public static final int MAX_PATH = 4096;
    static final Set<String> DNS_TYPES = Set.of("A", "AAAA", "CNAME", "MX", "NS", "TXT", "PTR", "SOA", "SRV");

    /** What values a parameter takes. */
    public enum Kind {
        HOST, PORT, COUNT, DNS_NAME, DNS_TYPE, URL, HTTP_METHOD, PATH, LOG, LINES, GREP, UNIT, INTERFACE, FILTER, SECONDS,
        PACKETS, ACTIONS, DEPTH
    }

    static Param required(String name, Kind kind) {
        return new Param(name, kind, true, "");
    }

    static Param optional(String name, Kind kind, String fallback) {
        return new Param(name, kind, false, fallback);
    }

    /** The canonical value of {@code raw} for this parameter. */
    public String check(String raw) {
        if (raw.length() > 8192) {
            throw invalid("is longer than 8192 characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            if (Character.isISOControl(raw.charAt(i))) {
                throw invalid("contains a control character");
            }
        }
        String v = raw.strip();
        return switch (kind) {
            case HOST -> host(v);
            case PORT -> Integer.toString(number(v, 1, 65535));
            case COUNT -> Integer.toString(number(v, 1, 10));
            case LINES -> Integer.toString(number(v, 1, 1000));
            case SECONDS -> Integer.toString(number(v, 1, 10));
            case PACKETS -> Integer.toString(number(v, 1, 1000));
            case DEPTH -> Integer.toString(number(v, 1, 4));
            case DNS_NAME -> host(v);
            case DNS_TYPE -> dnsType(v);
            case URL -> url(v);
            case HTTP_METHOD -> method(v);
            case PATH -> path(v);
            case LOG -> matching(v, LOG_NAME, "must be a log name from the agent's list (letters, digits, '_', '.', '-')");
            case GREP -> grep(raw);
            case UNIT -> matching(v, UNIT, "must be a systemd unit name such as ssh.service");
            case INTERFACE -> matching(v, INTERFACE, "must be a network interface name such as eth0");
            case FILTER -> CaptureFilter.parse(v, name).text();
            case ACTIONS -> Action.bundleList(v, name);
        };
    }

    InvalidParameter invalid(String problem) {
        return new InvalidParameter(name, "'" + name + "' " + problem);
    }

    private String matching(String v, Pattern p, String problem) {
        if (!p.matcher(v).matches()) {
            throw invalid(problem + ", got " + quote(v));
        }
        return v;
    }

    private int number(String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid("must be a whole number from " + min + " to " + max + ", got " + quote(v));
    }

    /** A host name or an IPv4/IPv6 address: never a word with spaces, shell characters or a leading '-'. */
    static String hostOrNull(String v) {
        if (v.isEmpty() || v.length() > 253) {
            return null;
        }
        if (IPV4.matcher(v).matches() || HOST_NAME.matcher(v).matches() && !v.startsWith("-")) {
            return v.toLowerCase(Locale.ROOT);
        }
        String bare = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
        if (IPV6.matcher(bare).matches() && bare.chars().filter(c -> c == ':').count() >= 2) {
            return bare.toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private String host(String v) {
        String h = hostOrNull(v);
        if (h == null) {
            throw invalid("must be a host name or an IP address, got " + quote(v));
        }
        return h;
    }

    private String dnsType(String v) {
        String t = v.toUpperCase(Locale.ROOT);
        if (!DNS_TYPES.contains(t)) {
            throw invalid("must be one of " + String.join(", ", DNS_TYPES.stream().sorted().toList()) + ", got " + quote(v));
        }
        return t;
    }

    private String method(String v) {
        String m = v.toUpperCase(Locale.ROOT);
        if (!m.equals("GET") && !m.equals("HEAD")) {
            throw invalid("must be GET or HEAD, got " + quote(v));
        }
        return m;
    }

    private String url(String v) {
        if (v.length() > MAX_URL) {
            throw invalid("is longer than " + MAX_URL + " characters");
        }
        URI u;
        try {
            u = new URI(v);
        } catch (URISyntaxException e) {
            throw invalid("is not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("must be an http:// or https:// URL, got scheme " + quote(scheme));
        }
        if (u.getRawUserInfo() != null) {
            throw invalid("must not carry a user name or password");
        }
        if (u.getHost() == null || hostOrNull(u.getHost()) == null) {
            throw invalid("must name a host");
        }
        if (u.getPort() == 0 || u.getPort() > 65535) {
            throw invalid("has a port outside 1 to 65535");
        }
        return u.toASCIIString();
    }

    private String path(String v) {
        if (v.isEmpty() || v.length() > MAX_PATH) {
            throw invalid("must be an absolute path of at most " + MAX_PATH + " characters");
        }
        if (!v.startsWith("/")) {
            throw invalid("must be an absolute path, got " + quote(v));
        }
        for (String segment : v.split("/")) {
            if (segment.equals("..")) {
                throw invalid("must not contain '..'");
            }
        }
        try {
            return Path.of(v).normalize().toString();
        } catch (InvalidPathException e) {
            throw invalid("is not a path: " + e.getReason());
        }
    }

    private String grep(String raw) {
        if (raw.isEmpty()) {
            return "";
        }
        if (raw.length() > MAX_GREP) {
            throw invalid("must be at most " + MAX_GREP + " characters");
        }
        try {
            com.google.re2j.Pattern.compile(raw);
        } catch (PatternSyntaxException e) {
            throw invalid("is not a regular expression (RE2 syntax): " + e.getDescription());
        }
        return raw;
    }

    /** A value for a message: quoted, at most 64 characters. */
    static String quote(String v) {
        String s = v.length() > 64 ? v.substring(0, 63) + "…" : v;
        return "'" + s + "'";
    }
}

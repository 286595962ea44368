package io.firstline.diagnostics;

import static io.firstline.diagnostics.Param.optional;
import static io.firstline.diagnostics.Param.required;

import io.firstline.diagnostics.Param.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fixed set of diagnostic actions, compiled into both sides, with their
 * typed parameters. There is no way to run anything else: an action is one
 * of these names, and its parameters pass {@link #validate} or the request is
 * refused. Names and parameters of the first nine are fixed for scripts
 * (docs/diagnostics.md).
 */
public enum Action {
    TCP_CONNECT("tcp_connect", "TCP connect to host:port", required("host", Kind.HOST), required("port", Kind.PORT)),
    DNS_LOOKUP("dns_lookup", "DNS lookup of a name", required("name", Kind.DNS_NAME), optional("type", Kind.DNS_TYPE, "A")),
    PING("ping", "ping a host (ICMP where permitted, else TCP)", required("host", Kind.HOST), optional("count", Kind.COUNT, "4")),
    HTTP_CHECK("http_check", "HTTP(S) check of a URL", required("url", Kind.URL), optional("method", Kind.HTTP_METHOD, "GET")),
    DISK_USAGE("disk_usage", "largest directories under a path", required("path", Kind.PATH), optional("depth", Kind.DEPTH, "2")),
    LOG_TAIL("log_tail", "tail or grep an allow-listed log", required("log", Kind.LOG), optional("lines", Kind.LINES, "100"),
            optional("grep", Kind.GREP, "")),
    KERNEL_LOG("kernel_log", "the kernel log", optional("lines", Kind.LINES, "100"), optional("grep", Kind.GREP, "")),
    TOP_PROCESSES("top_processes", "top processes by CPU and by memory"),
    INTERFACES("interfaces", "network interfaces, addresses and counters"),
    ROUTES("routes", "the routing table"),
    CONNECTIONS("connections", "the connection table (TCP and UDP sockets)"),
    SERVICE_STATUS("service_status", "systemd unit status (failed units when none is named)", optional("unit", Kind.UNIT, "")),
    MOUNTS("mounts", "mounted file systems and their options", optional("path", Kind.PATH, "")),
    PACKET_CAPTURE("packet_capture", "bounded packet capture as pcap", required("interface", Kind.INTERFACE),
            optional("filter", Kind.FILTER, ""), optional("seconds", Kind.SECONDS, "5"), optional("packets", Kind.PACKETS, "100")),
    BUNDLE("bundle", "several actions packed as one zip", optional("actions", Kind.ACTIONS, ""));

    private final String wireName;
    private final String title;
    private final List<Param> params;

    Action(String wireName, String title, Param... params) {
        this.wireName = wireName;
        this.title = title;
        this.params = List.of(params);
    }

    /** The name on the wire and in the API, e.g. {@code tcp_connect}. */
    public String wireName() {
        return wireName;
    }

    /** A few words for people. */
    public String title() {
        return title;
    }

    public List<Param> params() {
        return params;
    }

    /** Whether the action runs with its defaults alone (so a bundle may hold it). */
    public boolean needsNoParams() {
        return params.stream().noneMatch(Param::required);
    }

    public static Optional<Action> of(String name) {
        return Arrays.stream(values()).filter(a -> a.wireName.equals(name)).findFirst();
    }

    /** Every action name, in catalogue order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Action::wireName).toList();
    }

    /** The actions a bundle runs when it names none: every one that needs no parameters, but no capture. */
    public static List<Action> defaultBundle() {
        return Arrays.stream(values()).filter(a -> a.needsNoParams() && a != BUNDLE && a != PACKET_CAPTURE).toList();
    }

    /** A valid request: the action and every parameter's canonical value (defaults filled in). */
    public record Valid(Action action, Map<String, String> params) {
        public Valid {
            params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
        }

        /** The actions a bundle runs, in order. */
        public List<Action> bundled() {
            String list = params.getOrDefault("actions", "");
            if (list.isEmpty()) {
                return defaultBundle();
            }
            return Arrays.stream(list.split(",")).map(n -> Action.of(n).orElseThrow()).toList();
        }
    }

    /**
     * Checks a request: a known action and only its parameters, each valid.
     *
     * @throws InvalidParameter naming "action" or the parameter at fault
     */
    public static Valid validate(String action, Map<String, String> params) {
        Action a = of(action == null ? "" : action).orElseThrow(() -> new InvalidParameter("action",
                "unknown action " + Param.quote(String.valueOf(action)) + " (known: " + String.join(", ", names()) + ")"));
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> known = new LinkedHashSet<>();
        a.params.forEach(p -> known.add(p.name()));
        for (String name : params.keySet()) {
            if (!known.contains(name)) {
                throw new InvalidParameter(name, "unknown parameter " + Param.quote(name) + " for " + a.wireName
                        + (known.isEmpty() ? " (it takes none)" : " (it takes " + String.join(", ", known) + ")"));
            }
        }
        for (Param p : a.params) {
            String raw = params.get(p.name());
            if (raw == null || raw.isBlank() && p.kind() != Kind.GREP) {
                if (p.required()) {
                    throw new InvalidParameter(p.name(), "'" + p.name() + "' is required for " + a.wireName);
                }
                out.put(p.name(), p.fallback());
            } else {
                out.put(p.name(), p.check(raw));
            }
        }
        return new Valid(a, out);
    }

    /** A bundle's action list: known names, no bundle inside, none needing parameters, no repeats. */
    static String bundleList(String v, String param) {
        List<String> names = new ArrayList<>();
        for (String part : v.split(",")) {
            String n = part.strip();
            if (n.isEmpty()) {
                continue;
            }
            Action a = of(n).orElseThrow(() -> new InvalidParameter(param, "'" + param + "' names unknown action " + Param.quote(n)));
            if (a == BUNDLE || a == PACKET_CAPTURE) {
                throw new InvalidParameter(param, "'" + param + "' may not hold " + n);
            }
            if (!a.needsNoParams()) {
                throw new InvalidParameter(param, "'" + param + "' may hold only actions that need no parameters; " + n + " does");
            }
            if (names.contains(n)) {
                throw new InvalidParameter(param, "'" + param + "' names " + n + " twice");
            }
            names.add(n);
        }
        if (names.size() > 16) {
            throw new InvalidParameter(param, "'" + param + "' may name at most 16 actions");
        }
        return String.join(",", names);
    }
}

package io.firstline.console.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.rules.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alertmanager's webhook payload, version 4, read leniently alert by alert:
 * <pre>
 * {"version": "4", "status": "firing|resolved", "receiver": "...", "groupKey": "...",
 *  "alerts": [{"status": "firing|resolved", "labels": {"alertname": "...", ...},
 *              "annotations": {"summary": "...", ...}, "startsAt": "RFC 3339",
 *              "endsAt": "...", "generatorURL": "...", "fingerprint": "hex"}, ...], ...}
 * </pre>
 * A payload that is not such an object (no {@code alerts} array, another
 * version) is invalid as a whole; inside it, each alert that lacks a status,
 * an {@code alertname} label or has values of the wrong type is rejected on
 * its own with its index and the reason, and the others are taken.
 */
public final class AlertmanagerPayload {
    /** Longest label or annotation value kept; longer values are cut (they end up in a ticket title). */
    static final int MAX_VALUE = 4_000;

    /** One valid alert. {@code fingerprint} is Alertmanager's, or a SHA-256 of the sorted labels where it sent none. */
    public record Alert(boolean firing, String fingerprint, Map<String, String> labels, Map<String, String> annotations,
                        Instant startsAt, String generatorUrl) {
        public Alert {
            labels = Map.copyOf(labels);
            annotations = Map.copyOf(annotations);
        }

        public String alertName() {
            return labels.get("alertname");
        }

        /** {@code ALERTNAME: summary}, or the name alone without a summary (or description) annotation. */
        public String title() {
            String summary = annotations.getOrDefault("summary", annotations.getOrDefault("description", "")).strip();
            String t = summary.isEmpty() ? alertName() : alertName() + ": " + summary;
            return t.length() > 300 ? t.substring(0, 300) : t;
        }

        /** The {@code severity} label as a ticket severity: critical/page/error/high, info/none/low, else warning. */
        public Severity severity() {
            return switch (labels.getOrDefault("severity", "").toLowerCase(Locale.ROOT)) {
                case "critical", "page", "error", "high", "emergency" -> Severity.CRITICAL;
                case "info", "informational", "none", "low" -> Severity.INFO;
                default -> Severity.WARNING;
            };
        }

        /** The host the alert is about: the {@code hostname} label, else {@code instance} without its port. */
        public String host() {
            String h = labels.getOrDefault("hostname", "").strip();
            return h.isEmpty() ? hostOf(labels.getOrDefault("instance", "")) : h;
        }
    }

    /** An alert that was not taken: its index in {@code alerts} and why. */
    public record Rejected(int index, String error) {
    }

    public record Parsed(List<Alert> alerts, List<Rejected> rejected) {
    }

    private AlertmanagerPayload() {
    }

    /** Reads a payload; throws IllegalArgumentException with the reason when it is invalid as a whole. */
    public static Parsed parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object (Alertmanager webhook payload version 4)");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isTextual() || !version.asText().equals("4")) {
            throw new IllegalArgumentException("\"version\" must be \"4\" (Alertmanager's webhook payload version)");
        }
        JsonNode alerts = root.get("alerts");
        if (alerts == null || !alerts.isArray()) {
            throw new IllegalArgumentException("\"alerts\" must be an array");
        }
        List<Alert> ok = new ArrayList<>();
        List<Rejected> bad = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            try {
                ok.add(alert(alerts.get(i)));
            } catch (IllegalArgumentException e) {
                bad.add(new Rejected(i, e.getMessage()));
            }
        }
        return new Parsed(ok, bad);
    }

    private static Alert alert(JsonNode a) {
        if (!a.isObject()) {
            throw new IllegalArgumentException("an alert must be an object");
        }
        String status = text(a, "status");
        if (!status.equals("firing") && !status.equals("resolved")) {
            throw new IllegalArgumentException("\"status\" must be \"firing\" or \"resolved\"");
        }
        Map<String, String> labels = strings(a, "labels", true);
        if (labels.getOrDefault("alertname", "").isBlank()) {
            throw new IllegalArgumentException("the \"alertname\" label is missing");
        }
        Map<String, String> annotations = strings(a, "annotations", false);
        Instant startsAt = null;
        String starts = text(a, "startsAt");
        if (!starts.isEmpty()) {
            try {
                startsAt = Instant.parse(starts);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"startsAt\" is not an RFC 3339 time");
            }
        }
        String fingerprint = text(a, "fingerprint");
        if (fingerprint.isEmpty()) {
            fingerprint = fingerprintOf(labels);
        } else if (!fingerprint.matches("[0-9a-zA-Z]{1,64}")) {
            throw new IllegalArgumentException("\"fingerprint\" must be 1-64 letters and digits");
        }
        return new Alert(status.equals("firing"), fingerprint, labels, annotations, startsAt, cut(text(a, "generatorURL")));
    }

    private static String text(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static Map<String, String> strings(JsonNode a, String field, boolean required) {
        JsonNode v = a.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("\"" + field + "\" is missing");
            }
            return Map.of();
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an object of strings");
        }
        Map<String, String> out = new TreeMap<>();
        var it = v.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("\"" + field + "\"." + cut(e.getKey()) + " must be a string");
            }
            out.put(cut(e.getKey()), cut(e.getValue().asText()));
        }
        return out;
    }

    private static String cut(String s) {
        return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) : s;
    }

    /** {@code host:port}, {@code [v6]:port} or a URL's host, without the port. */
    static String hostOf(String instance) {
        String s = instance.strip();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end > 0 ? s.substring(1, end) : s;
        }
        int colon = s.indexOf(':');
        return colon >= 0 && s.indexOf(':', colon + 1) < 0 ? s.substring(0, colon) : s;
    }

    private static String fingerprintOf(Map<String, String> sortedLabels) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (var e : sortedLabels.entrySet()) {
                d.update((e.getKey() + "\u0000" + e.getValue() + "\u0000").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

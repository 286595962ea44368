package io.firstline.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.wire.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads the string fields of a JSON body at the API edge, so that nothing
 * unbounded or malformed reaches storage. Three classes of field, documented
 * in docs/web-console.md:
 * <ul>
 * <li>{@link #NAME} (64 characters): user names, token names, sites;</li>
 * <li>{@link #SHORT} (1 KiB of UTF-8): assignee, reason, maintenance-window value;</li>
 * <li>{@link #LONG} (16 KiB of UTF-8): comments and resolution notes.</li>
 * </ul>
 * Names and short fields are one line (no control characters); long texts
 * may hold line breaks and tabs. Every refusal names the field and its limit.
 */
final class Fields {
    static final int NAME = 64;
    static final int SHORT = 1024;
    static final int LONG = 16 * 1024;

    private Fields() {
    }

    /** An optional one-line field of at most {@code maxBytes} UTF-8 bytes, trimmed; "" when absent. */
    static String line(JsonNode body, String field, int maxBytes) {
        String v = raw(body, field).trim();
        check(field, v, maxBytes, false);
        return v;
    }

    /** An optional name (user, token, site): one line of at most {@link #NAME} characters, trimmed; "" when absent. */
    static String name(JsonNode body, String field) {
        String v = raw(body, field).trim();
        checkLength(field, v, NAME);
        check(field, v, NAME * 4, false);
        return v;
    }

    /** A required one-line field. */
    static String requiredLine(JsonNode body, String field, int maxBytes) {
        String v = line(body, field, maxBytes);
        if (v.isEmpty()) {
            throw ApiError.badRequest("'" + field + "' is required");
        }
        return v;
    }

    /** An optional multi-line text of at most {@code maxBytes} UTF-8 bytes, trimmed; "" when absent. */
    static String text(JsonNode body, String field, int maxBytes) {
        String v = raw(body, field).trim();
        check(field, v, maxBytes, true);
        return v;
    }

    /** An optional duration such as {@code 30m}, {@code 24h} or {@code 7d} between min and max; {@code fallback} when absent. */
    static Duration duration(JsonNode body, String field, Duration fallback, Duration min, Duration max) {
        String v = line(body, field, NAME);
        if (v.isEmpty()) {
            return fallback;
        }
        Duration d;
        try {
            d = Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'" + field + "' must be a duration such as 30m, 24h or 7d, got " + Json.quote(v));
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw ApiError.badRequest("'" + field + "' must be from " + Durations.format(min) + " to " + Durations.format(max)
                    + ", got " + v);
        }
        return d;
    }

    /** An optional whole number between min and max; {@code fallback} when absent. */
    static int integer(JsonNode body, String field, int fallback, int min, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < min || v.intValue() > max) {
            throw ApiError.badRequest("'" + field + "' must be a whole number from " + min + " to " + max);
        }
        return v.intValue();
    }

    /** A string that must not be longer than {@code maxChars} characters, or 400 naming it. */
    static String checkLength(String field, String value, int maxChars) {
        if (value.length() > maxChars) {
            throw ApiError.badRequest("'" + field + "' must be at most " + maxChars + " characters, got " + value.length());
        }
        return value;
    }

    private static String raw(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest("'" + field + "' must be a string");
        }
        return v.textValue();
    }

    private static void check(String field, String v, int maxBytes, boolean multiLine) {
        int bytes = v.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw ApiError.badRequest("'" + field + "' must be at most " + describe(maxBytes) + ", got " + bytes + " bytes");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean allowedControl = multiLine && (c == '\n' || c == '\r' || c == '\t');
            if ((Character.isISOControl(c) && !allowedControl) || c == '\u2028' || c == '\u2029') {
                throw ApiError.badRequest("'" + field + "' must not contain control characters"
                        + (multiLine ? " other than line breaks and tabs" : ""));
            }
        }
    }

    private static String describe(int maxBytes) {
        return maxBytes % 1024 == 0 ? maxBytes / 1024 + " KiB" : maxBytes + " bytes";
    }

    /** {@code s} cut to 64 characters for echoing in an error message. */
    static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}

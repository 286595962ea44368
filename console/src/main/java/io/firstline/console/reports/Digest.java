package io.firstline.console.reports;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The weekly digest: the top rows of the common-problems report of the last
 * 7 days, as the notification payload (JSON, event {@code digest}) and as
 * plain text for people (the payload carries it, for channels that show
 * text, such as e-mail). Pure.
 */
public final class Digest {
    /** The rows a digest lists. */
    public static final int TOP = 10;
    /** The period a digest covers. */
    public static final int DAYS = 7;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Digest() {
    }

    /** The columns of each row the digest carries: the report's, without the resolution counts and p90. */
    static final List<String> DIGEST_COLUMNS = List.of("rule", "os", "hardware", "agentVersion", "site", "tickets", "machines",
            "previousTickets", "trend", "change", "mttrSeconds", "recurrenceRate");

    /** The payload queued for every target: {@code {"event": "digest", "at", "digest": {...}}}. */
    public static Map<String, Object> payload(CommonProblems.Report r, java.time.Instant at) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("report", "common-problems");
        d.put("from", r.period().from().toString());
        d.put("to", r.period().to().toString());
        d.put("days", r.period().days());
        d.put("tickets", r.tickets());
        d.put("previousTickets", r.previousTickets());
        d.put("groups", r.totalRows());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CommonProblems.Row row : r.rows()) {
            Map<String, Object> x = row.fields(DIGEST_COLUMNS);
            rows.add(x);
        }
        d.put("rows", rows);
        d.put("link", "/reports?days=" + r.period().days());
        d.put("text", text(r));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "digest");
        body.put("at", at.toString());
        body.put("subject", subject(r));
        body.put("digest", d);
        return body;
    }

    public static String subject(CommonProblems.Report r) {
        return "Firstline: common problems " + DAY.format(r.period().from()) + " to " + DAY.format(r.period().to().minusMillis(1));
    }

    /** The digest in plain words, one line per group. */
    public static String text(CommonProblems.Report r) {
        StringBuilder b = new StringBuilder();
        b.append(subject(r)).append("\n\n");
        b.append(r.tickets()).append(r.tickets() == 1 ? " ticket" : " tickets").append(" in the last ").append(r.period().days())
                .append(" days (").append(r.previousTickets()).append(" in the ").append(r.period().days()).append(" days before)");
        if (r.rows().isEmpty() || r.tickets() == 0) {
            return b.append(".\n").toString();
        }
        b.append(". The largest groups:\n\n");
        int i = 1;
        for (CommonProblems.Row row : r.rows()) {
            if (row.tickets() == 0) {
                continue;
            }
            b.append(i++).append(". ").append(name(row.rule())).append(" on ").append(name(row.os())).append(", ")
                    .append(name(row.hardware())).append(", agent ").append(name(row.agentVersion())).append(", site ")
                    .append(name(row.site())).append(": ").append(row.tickets()).append(row.tickets() == 1 ? " ticket" : " tickets")
                    .append(" on ").append(row.machines()).append(row.machines() == 1 ? " machine" : " machines")
                    .append(", ").append(trend(row));
            if (row.mttrSeconds() != null) {
                b.append(", resolved in ").append(duration(row.mttrSeconds())).append(" on average");
            }
            b.append('\n');
        }
        if (r.totalRows() > r.rows().size()) {
            b.append("\n").append(r.totalRows() - r.rows().size()).append(" smaller groups are on the reports page.\n");
        }
        return b.toString();
    }

    /** Agents' names in one line: control characters (and line breaks) become spaces. */
    private static String name(String s) {
        if (s == null) {
            return "any";
        }
        if (s.isEmpty()) {
            return "unknown";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.toString();
    }

    private static String trend(CommonProblems.Row row) {
        return switch (row.trend()) {
            case "new" -> "new this week";
            case "flat" -> "as many as the week before";
            default -> (row.change() > 0 ? "up " : "down ") + Math.round(Math.abs(row.change()) * 100) + " % from "
                    + row.previousTickets();
        };
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min";
        }
        if (s < 86_400) {
            return (s / 3600) + " h " + (s % 3600 / 60) + " min";
        }
        return (s / 86_400) + " d " + (s % 86_400 / 3600) + " h";
    }
}

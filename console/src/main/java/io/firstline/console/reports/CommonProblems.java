package io.firstline.console.reports;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The common-problems report (docs/reports.md): tickets counted by rule ×
 * OS × hardware model × agent version × site over a period, each group with
 * the machines it hit, the count of the period before (the trend), mean and
 * p90 time to resolve and how often its tickets came back. Pure: it is
 * computed from the tickets of both periods, so it is tested with fixtures.
 */
public final class CommonProblems {
    /** What a report can group by, with the field name it has in JSON, CSV and query parameters. */
    public enum Dimension {
        RULE("rule", ReportTicket::ruleId),
        OS("os", ReportTicket::os),
        HARDWARE("hardware", ReportTicket::hardware),
        AGENT_VERSION("agentVersion", ReportTicket::agentVersion),
        SITE("site", ReportTicket::site);

        private final String field;
        private final Function<ReportTicket, String> value;

        Dimension(String field, Function<ReportTicket, String> value) {
            this.field = field;
            this.value = value;
        }

        public String field() {
            return field;
        }

        String of(ReportTicket t) {
            return value.apply(t);
        }

        /** @throws IllegalArgumentException naming the known dimensions */
        public static Dimension parse(String field) {
            for (Dimension d : values()) {
                if (d.field.equals(field)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown grouping " + field + " (known: " + known() + ")");
        }

        public static String known() {
            return String.join(", ", Arrays.stream(values()).map(Dimension::field).toList());
        }
    }

    /** The columns a report can be sorted by. */
    public static final List<String> SORTS = List.of("tickets", "machines", "previousTickets", "change", "mttrSeconds",
            "p90ResolveSeconds", "recurrenceRate", "rule", "os", "hardware", "agentVersion", "site");

    /**
     * What to compute. {@code filters} keep only tickets whose dimension has
     * that value (case-insensitive; {@code os} also matches the OS family
     * alone); {@code source} keeps one source (fault, user, alert, engineer)
     * or all when empty.
     */
    public record Query(Set<Dimension> groupBy, Map<Dimension, String> filters, String source, String sort, boolean descending,
                        int limit, boolean daily) {
        public Query {
            groupBy = groupBy.isEmpty() ? EnumSet.noneOf(Dimension.class) : EnumSet.copyOf(groupBy);
            filters = Map.copyOf(filters);
            source = source == null ? "" : source;
            if (!SORTS.contains(sort)) {
                throw new IllegalArgumentException("sort must be one of " + String.join(", ", SORTS) + ", got " + sort);
            }
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1");
            }
        }

        /** Every dimension, by tickets (most first), up to 1000 rows. */
        public static Query defaults() {
            return new Query(EnumSet.allOf(Dimension.class), Map.of(), "", "tickets", true, 1000, false);
        }

        public Query withLimit(int n) {
            return new Query(groupBy, filters, source, sort, descending, n, daily);
        }
    }

    /**
     * One group. A dimension the report is not grouped by is null. Figures
     * about resolutions are null when none of its tickets was resolved;
     * {@code change} is null when the previous period had none.
     * {@code daily} (when asked for) counts its tickets per day of the period.
     */
    public record Row(String rule, String os, String hardware, String agentVersion, String site, int tickets, int machines,
                      int previousTickets, String trend, Double change, int resolved, Double mttrSeconds,
                      Double p90ResolveSeconds, Double recurrenceRate, int[] daily) {
        /** The columns of a row as the API, the CSV export and the digest name them, in this order. */
        public static final List<String> COLUMNS = List.of("rule", "os", "hardware", "agentVersion", "site", "tickets",
                "machines", "previousTickets", "trend", "change", "resolved", "mttrSeconds", "p90ResolveSeconds", "recurrenceRate");

        public Object value(String column) {
            return switch (column) {
                case "rule" -> rule;
                case "os" -> os;
                case "hardware" -> hardware;
                case "agentVersion" -> agentVersion;
                case "site" -> site;
                case "tickets" -> tickets;
                case "machines" -> machines;
                case "previousTickets" -> previousTickets;
                case "trend" -> trend;
                case "change" -> change;
                case "resolved" -> resolved;
                case "mttrSeconds" -> mttrSeconds;
                case "p90ResolveSeconds" -> p90ResolveSeconds;
                case "recurrenceRate" -> recurrenceRate;
                default -> throw new IllegalArgumentException(column);
            };
        }

        /** These columns of the row by name, in the order given (null values kept). */
        public Map<String, Object> fields(List<String> columns) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String c : columns) {
                m.put(c, value(c));
            }
            return m;
        }
    }

    /** The report: its period, what it grouped by, its rows (at most the limit), and how many rows there were in all. */
    public record Report(Period period, List<Dimension> groupBy, List<Row> rows, int totalRows, int tickets, int previousTickets) {
    }

    private CommonProblems() {
    }

    /** @param tickets the tickets opened in {@code period} and the period before it (others are ignored) */
    public static Report compute(List<ReportTicket> tickets, Period period, Query q) {
        List<Dimension> dims = Arrays.stream(Dimension.values()).filter(q.groupBy()::contains).toList();
        Map<List<String>, Group> groups = new LinkedHashMap<>();
        int now = 0;
        int before = 0;
        for (ReportTicket t : tickets) {
            boolean current = period.contains(t.openedAt());
            if ((!current && !period.inPrevious(t.openedAt())) || !matches(t, q)) {
                continue;
            }
            List<String> key = dims.stream().map(d -> d.of(t)).toList();
            Group g = groups.computeIfAbsent(key, k -> new Group(period.days()));
            if (current) {
                g.add(t, period);
                now++;
            } else {
                g.previous++;
                before++;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<List<String>, Group> e : groups.entrySet()) {
            rows.add(e.getValue().row(dims, e.getKey(), q.daily()));
        }
        rows.sort(order(q));
        return new Report(period, dims, List.copyOf(rows.subList(0, Math.min(rows.size(), q.limit()))), rows.size(), now, before);
    }

    private static boolean matches(ReportTicket t, Query q) {
        if (!q.source().isEmpty() && !q.source().equals(t.source())) {
            return false;
        }
        for (Map.Entry<Dimension, String> f : q.filters().entrySet()) {
            String want = f.getValue();
            String have = f.getKey().of(t);
            if (!have.equalsIgnoreCase(want) && !(f.getKey() == Dimension.OS && t.osFamily().equalsIgnoreCase(want))) {
                return false;
            }
        }
        return true;
    }

    /** The asked-for column first (nulls last either way), then by tickets, then by the group's names, so the order is stable. */
    private static Comparator<Row> order(Query q) {
        Comparator<Row> byColumn = (a, b) -> {
            Object x = a.value(q.sort());
            Object y = b.value(q.sort());
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : 1) : -1;
            }
            int c = compare(x, y);
            return q.descending() ? -c : c;
        };
        Comparator<Row> names = Comparator.comparing((Row r) -> Objects.toString(r.rule(), ""))
                .thenComparing(r -> Objects.toString(r.os(), "")).thenComparing(r -> Objects.toString(r.hardware(), ""))
                .thenComparing(r -> Objects.toString(r.agentVersion(), "")).thenComparing(r -> Objects.toString(r.site(), ""));
        return byColumn.thenComparing(Comparator.comparingInt(Row::tickets).reversed()).thenComparing(names);
    }

    @SuppressWarnings("unchecked")
    private static int compare(Object x, Object y) {
        if (x instanceof String a && y instanceof String b) {
            return a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT));
        }
        return Double.compare(((Number) x).doubleValue(), ((Number) y).doubleValue());
    }

    /** The trend of a group: new, gone, up, down or flat. */
    static String trend(int tickets, int previous) {
        if (previous == 0) {
            return tickets == 0 ? "flat" : "new";
        }
        if (tickets == 0) {
            return "gone";
        }
        return tickets > previous ? "up" : tickets < previous ? "down" : "flat";
    }

    private static final class Group {
        int tickets;
        int previous;
        int recurred;
        final Set<String> machines = new HashSet<>();
        final List<Double> resolveSeconds = new ArrayList<>();
        final int[] daily;

        Group(int days) {
            daily = new int[days];
        }

        void add(ReportTicket t, Period p) {
            tickets++;
            if (!t.agentId().isEmpty()) {
                machines.add(t.agentId());
            }
            if (t.recurred()) {
                recurred++;
            }
            if (t.resolvedAt() != null) {
                resolveSeconds.add(t.secondsToResolve());
            }
            int day = (int) Duration.between(p.from(), t.openedAt()).toDays();
            daily[Math.max(0, Math.min(daily.length - 1, day))]++;
        }

        Row row(List<Dimension> dims, List<String> key, boolean withDaily) {
            String[] v = new String[Dimension.values().length];
            for (int i = 0; i < dims.size(); i++) {
                v[dims.get(i).ordinal()] = key.get(i);
            }
            Double change = previous == 0 ? null : Stats.round((double) (tickets - previous) / previous);
            return new Row(v[0], v[1], v[2], v[3], v[4], tickets, machines.size(), previous, trend(tickets, previous), change,
                    resolveSeconds.size(), Stats.mean(resolveSeconds), Stats.percentile(resolveSeconds, 90),
                    Stats.ratio(recurred, tickets), withDaily ? daily.clone() : null);
        }
    }
}

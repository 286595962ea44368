package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import io.firstline.console.reports.CommonProblems;
import io.firstline.console.reports.CommonProblems.Dimension;
import io.firstline.console.reports.Csv;
import io.firstline.console.reports.Period;
import io.firstline.console.reports.Reports;
import io.firstline.console.reports.ServiceReport;
import io.firstline.console.reports.WeeklyDigest;
import io.firstline.console.tickets.ExternalTickets;
import io.firstline.console.tickets.Ticket;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reports (docs/reports.md): {@code GET /api/reports/common-problems}
 * and its CSV twin {@code GET /api/reports/common-problems.csv}, with the
 * same query parameters; {@code GET /api/reports/service}; the weekly
 * digest's preview and sending by hand (admins), {@code GET/POST /api/reports/digest}.
 */
final class ReportsApi implements ApiModule {
    /** The most rows one answer carries. */
    static final int MAX_LIMIT = 10_000;
    /** The longest filter value: machine facts are kept up to 200 characters. */
    static final int MAX_FILTER = 200;
    private static final Set<String> SOURCES = Set.of(Ticket.FAULT, Ticket.USER, ExternalTickets.ALERT, ExternalTickets.ENGINEER);

    private final Reports reports;
    private final WeeklyDigest digest;

    ReportsApi(Reports reports, WeeklyDigest digest) {
        this.reports = reports;
        this.digest = digest;
    }

    @Override
    public void register(Router r) {
        r.get("/api/reports/common-problems", Router.Access.SIGNED_IN, ex -> ex.respond(OK, json(commonProblems(ex))));
        r.get("/api/reports/common-problems.csv", Router.Access.SIGNED_IN, ex -> ex.respond(csv(commonProblems(ex))));
        r.get("/api/reports/service", Router.Access.SIGNED_IN,
                ex -> ex.respond(OK, json(reports.service(ex.intQueryParam("days", 30, 1, Period.MAX_DAYS)))));
        r.get("/api/reports/digest", Router.Access.ADMIN, ex -> ex.respond(OK, digest.preview()));
        r.post("/api/reports/digest", Router.Access.ADMIN, ex -> {
            WeeklyDigest.Sent sent = digest.sendNow(ex.actor());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", sent.id());
            m.put("targets", sent.targets());
            m.putAll(sent.payload());
            ex.respond(io.netty.handler.codec.http.HttpResponseStatus.CREATED, m);
        });
    }

    static Map<String, Object> json(ServiceReport.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", r.period().from());
        m.put("to", r.period().to());
        m.put("days", r.period().days());
        m.put("tickets", r.tickets());
        m.put("acknowledged", r.acknowledged());
        m.put("resolved", r.resolved());
        m.put("timeToAcknowledge", times(r.times(), ServiceReport.Group::toAcknowledge));
        m.put("timeToResolve", times(r.times(), ServiceReport.Group::toResolve));
        Map<String, Object> sla = new LinkedHashMap<>();
        sla.put("ack", r.ackBreaches());
        sla.put("resolve", r.resolveBreaches());
        sla.put("tickets", r.breached());
        sla.put("rate", r.slaBreachRate());
        m.put("slaBreaches", sla);
        m.put("resolvedAutomatically", pair("count", r.resolvedAutomatically(), "share", r.autoResolvedShare()));
        m.put("reopened", pair("count", r.reopened(), "rate", r.reopenRate()));
        m.put("escalations", r.escalations());
        m.put("noisiestRules", r.noisiestRules().stream().map(n -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("rule", n.rule());
            x.put("raises", n.raises());
            x.put("flaps", n.flaps());
            x.put("tickets", n.tickets());
            x.put("machines", n.machines());
            return x;
        }).toList());
        m.put("busiestMachines", r.busiestMachines().stream().map(b -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("agentId", b.agentId());
            x.put("hostname", b.hostname());
            x.put("site", b.site());
            x.put("tickets", b.tickets());
            return x;
        }).toList());
        return m;
    }

    /** Two fields in order; a null value stays (JSON null), which Map.of would refuse. */
    private static Map<String, Object> pair(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static Map<String, Object> times(ServiceReport.Breakdown b,
                                             java.util.function.Function<ServiceReport.Group, ServiceReport.Durations> which) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("all", durations(which.apply(b.all())));
        m.put("bySeverity", groups(b.bySeverity(), "severity", which));
        m.put("bySite", groups(b.bySite(), "site", which));
        m.put("byAssignee", groups(b.byAssignee(), "assignee", which));
        return m;
    }

    private static List<Map<String, Object>> groups(List<ServiceReport.Group> groups, String name,
                                                    java.util.function.Function<ServiceReport.Group, ServiceReport.Durations> which) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServiceReport.Group g : groups) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put(name, g.key());
            x.put("tickets", g.tickets());
            x.putAll(durations(which.apply(g)));
            out.add(x);
        }
        return out;
    }

    private static Map<String, Object> durations(ServiceReport.Durations d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", d.count());
        m.put("meanSeconds", d.meanSeconds());
        m.put("p50Seconds", d.p50Seconds());
        m.put("p90Seconds", d.p90Seconds());
        return m;
    }

    private CommonProblems.Report commonProblems(Exchange ex) {
        int days = ex.intQueryParam("days", 30, 1, Period.MAX_DAYS);
        Set<Dimension> groupBy = EnumSet.allOf(Dimension.class);
        String group = ex.queryParam("groupBy", "");
        if (!group.isEmpty()) {
            groupBy = EnumSet.noneOf(Dimension.class);
            for (String g : group.split(",")) {
                try {
                    groupBy.add(Dimension.parse(g.strip()));
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("query parameter 'groupBy': unknown grouping " + Json.quote(Fields.clip(g.strip()))
                            + " (known: " + Dimension.known() + ")");
                }
            }
        }
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            String v = ex.queryParam(d.field(), "");
            if (v.length() > MAX_FILTER) {
                throw ApiError.badRequest("query parameter '" + d.field() + "' must be at most " + MAX_FILTER + " characters");
            }
            if (!v.isEmpty()) {
                filters.put(d, v);
            }
        }
        String source = ex.queryParam("source", "");
        if (!source.isEmpty() && !SOURCES.contains(source)) {
            throw ApiError.badRequest("query parameter 'source' must be fault, user, alert or engineer, got "
                    + Json.quote(Fields.clip(source)));
        }
        String sort = ex.queryParam("sort", "tickets");
        if (!CommonProblems.SORTS.contains(sort)) {
            throw ApiError.badRequest("query parameter 'sort' must be one of " + String.join(", ", CommonProblems.SORTS)
                    + ", got " + Json.quote(Fields.clip(sort)));
        }
        String order = ex.queryParam("order", "");
        boolean text = List.of("rule", "os", "hardware", "agentVersion", "site").contains(sort);
        boolean descending = switch (order) {
            case "" -> !text;
            case "desc" -> true;
            case "asc" -> false;
            default -> throw ApiError.badRequest("query parameter 'order' must be asc or desc, got " + Json.quote(Fields.clip(order)));
        };
        int limit = ex.intQueryParam("limit", 1000, 1, MAX_LIMIT);
        String daily = ex.queryParam("daily", "false");
        if (!daily.equals("true") && !daily.equals("false")) {
            throw ApiError.badRequest("query parameter 'daily' must be true or false, got " + Json.quote(Fields.clip(daily)));
        }
        return reports.commonProblems(days, new CommonProblems.Query(groupBy, filters, source, sort, descending, limit,
                daily.equals("true")));
    }

    static Map<String, Object> json(CommonProblems.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", r.period().from());
        m.put("to", r.period().to());
        m.put("days", r.period().days());
        m.put("previousFrom", r.period().previousFrom());
        m.put("groupBy", r.groupBy().stream().map(Dimension::field).toList());
        m.put("tickets", r.tickets());
        m.put("previousTickets", r.previousTickets());
        m.put("totalRows", r.totalRows());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CommonProblems.Row row : r.rows()) {
            Map<String, Object> x = row.fields(CommonProblems.Row.COLUMNS);
            if (row.daily() != null) {
                x.put("daily", row.daily());
            }
            rows.add(x);
        }
        m.put("rows", rows);
        return m;
    }

    private static FullHttpResponse csv(CommonProblems.Report r) {
        Csv out = new Csv().row(CommonProblems.Row.COLUMNS);
        for (CommonProblems.Row row : r.rows()) {
            out.row(CommonProblems.Row.COLUMNS.stream().map(row::value).toList());
        }
        FullHttpResponse res = ApiHandler.text(OK, out.toString(), "text/csv; charset=utf-8");
        String day = r.period().to().toString().substring(0, 10);
        res.headers().set(HttpHeaderNames.CONTENT_DISPOSITION,
                "attachment; filename=\"firstline-common-problems-" + r.period().days() + "d-" + day + ".csv\"");
        return res;
    }
}

package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.ACCEPTED;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.diagnostics.Diagnostic;
import io.firstline.console.diagnostics.DiagnosticService;
import io.firstline.console.diagnostics.Rejected;
import io.firstline.diagnostics.Action;
import io.firstline.diagnostics.Allowance;
import io.firstline.diagnostics.Param;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Safe diagnostics over HTTP (docs/diagnostics.md). Engineers and admins run
 * them; viewers only read ({@link AuthGate} refuses their POSTs with 403).
 * <ul>
 * <li>{@code POST /api/agents/{id}/diagnostics} {"action", "params", "ticketId"?, "timeoutMs"?} → 202 {id, state};
 *     400 naming the parameter for anything invalid or outside the agent's reported allow-list (nothing is sent),
 *     404 unknown agent, 409 offline agent, 429 over a rate limit — in that order, so an invalid request is never 429;</li>
 * <li>{@code GET /api/agents/{id}/diagnostics}: what the agent allows (with each action's parameters) and its recent requests;</li>
 * <li>{@code GET /api/diagnostics/{id}}: one request, its state and result (text output inline);</li>
 * <li>{@code GET /api/diagnostics/{id}/output}: the output as a file (text, pcap or zip);</li>
 * <li>{@code POST /api/diagnostics/{id}/cancel}: stops it.</li>
 * </ul>
 */
final class DiagnosticsApi implements ApiModule {
    private static final Set<String> BODY_FIELDS = Set.of("action", "params", "ticketId", "timeoutMs");
    /** Text output shown inline in {@code GET /api/diagnostics/{id}}; the rest is in the download. */
    static final int INLINE_TEXT = 256 * 1024;

    private final DiagnosticService diagnostics;

    DiagnosticsApi(DiagnosticService diagnostics) {
        this.diagnostics = diagnostics;
    }

    @Override
    public void register(Router r) {
        r.post("/api/agents/{id}/diagnostics", Router.Access.SIGNED_IN, ex -> {
            JsonNode body = ex.json();
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!BODY_FIELDS.contains(f)) {
                    throw invalid(f, "unknown field " + Json.quote(Fields.clip(f)) + " (known: action, params, ticketId, timeoutMs)");
                }
            }
            JsonNode action = body.get("action");
            if (action == null || !action.isTextual()) {
                throw invalid("action", "'action' is required: one of " + String.join(", ", Action.names()));
            }
            Map<String, String> params = params(body.get("params"));
            long ticketId = number(body.get("ticketId"), "ticketId", 1, Long.MAX_VALUE);
            long timeout = number(body.get("timeoutMs"), "timeoutMs", 1, Long.MAX_VALUE);
            Diagnostic d;
            try {
                d = diagnostics.request(new DiagnosticService.Request(ex.param("id"), action.asText(), params, ticketId, timeout,
                        ex.actor(), ex.remote()));
            } catch (Rejected e) {
                throw new ApiError(HttpResponseStatus.valueOf(e.reason().status), e.getMessage(), e.param().isEmpty() ? null : e.param());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("state", d.state().label());
            m.put("href", "/api/diagnostics/" + d.id());
            ex.respond(ACCEPTED, m);
        });
        r.get("/api/agents/{id}/diagnostics", Router.Access.SIGNED_IN, ex -> {
            String agent = ex.param("id");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agentId", agent);
            m.put("online", diagnostics.online(agent));
            m.put("allowed", allowed(diagnostics.allowance(agent)));
            m.put("recent", diagnostics.recent(agent, ex.intQueryParam("limit", 20, 1, 200)).stream().map(d -> json(d, false)).toList());
            ex.respond(OK, m);
        });
        r.get("/api/diagnostics/{id}", Router.Access.SIGNED_IN, ex -> {
            Diagnostic d = find(ex);
            ex.respond(OK, json(d, true));
        });
        r.get("/api/diagnostics/{id}/output", Router.Access.SIGNED_IN, ex -> {
            Diagnostic d = find(ex);
            byte[] out = diagnostics.output(d.id());
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, OK, Unpooled.wrappedBuffer(out));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, d.contentType().isEmpty() ? "text/plain; charset=utf-8" : d.contentType());
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, out.length);
            res.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName(d) + "\"");
            res.headers().set("X-Content-Type-Options", "nosniff");
            ex.respond(res);
        });
        r.post("/api/diagnostics/{id}/cancel", Router.Access.SIGNED_IN, ex -> {
            Diagnostic d = find(ex);
            diagnostics.cancel(d.id(), ex.actor());
            ex.respond(ACCEPTED, Map.of("id", d.id(), "state", d.state().label()));
        });
    }

    private Diagnostic find(Exchange ex) {
        long id = ex.idParam("id");
        return diagnostics.get(id).orElseThrow(() -> ApiError.notFound("no diagnostic " + id));
    }

    static String fileName(Diagnostic d) {
        String ext = d.contentType().startsWith("application/vnd.tcpdump.pcap") ? "pcap"
                : d.contentType().startsWith("application/zip") ? "zip" : "txt";
        return "diagnostic-" + d.id() + "-" + d.action() + "." + ext;
    }

    private static ApiError invalid(String param, String message) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, message, param);
    }

    /** The params object as text values: strings, whole numbers, booleans, lists of strings (joined by commas). */
    static Map<String, String> params(JsonNode p) {
        Map<String, String> out = new LinkedHashMap<>();
        if (p == null || p.isNull()) {
            return out;
        }
        if (!p.isObject()) {
            throw invalid("params", "'params' must be a JSON object of parameter values");
        }
        if (p.size() > 16) {
            throw invalid("params", "'params' has more than 16 entries");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String name = Fields.clip(e.getKey());
            if (v.isTextual()) {
                out.put(e.getKey(), v.asText());
            } else if (v.isIntegralNumber() || v.isBoolean()) {
                out.put(e.getKey(), v.asText());
            } else if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                for (JsonNode x : v) {
                    if (!x.isTextual()) {
                        throw invalid(e.getKey(), "'" + name + "' must be a list of strings");
                    }
                    parts.add(x.asText());
                }
                out.put(e.getKey(), String.join(",", parts));
            } else {
                throw invalid(e.getKey(), "'" + name + "' must be a string, a whole number or a list of strings");
            }
        }
        return out;
    }

    private static long number(JsonNode v, String field, long min, long max) {
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max || !v.canConvertToLong()) {
            throw invalid(field, "'" + field + "' must be a positive whole number");
        }
        return v.asLong();
    }

    static Map<String, Object> allowed(Allowance a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", a.enabled());
        List<Map<String, Object>> actions = new ArrayList<>();
        for (Action action : Action.values()) {
            if (!a.actions().contains(action.wireName())) {
                continue;
            }
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", action.wireName());
            x.put("title", action.title());
            x.put("available", !a.unsupported().contains(action.wireName()));
            List<Map<String, Object>> ps = new ArrayList<>();
            for (Param p : action.params()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("name", p.name());
                pm.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
                pm.put("required", p.required());
                pm.put("default", p.fallback());
                ps.add(pm);
            }
            x.put("params", ps);
            actions.add(x);
        }
        m.put("actions", actions);
        m.put("logs", a.logs());
        m.put("diskRoots", a.diskRoots());
        m.put("captureInterfaces", a.captureInterfaces());
        m.put("unsupported", a.unsupported());
        return m;
    }

    /** The shape of {@code GET /api/diagnostics/{id}}; {@code withOutput} adds text output inline. */
    Map<String, Object> json(Diagnostic d, boolean withOutput) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("agentId", d.agentId());
        m.put("action", d.action());
        m.put("params", new java.util.TreeMap<>(d.params()));
        m.put("state", d.state().label());
        m.put("ticketId", d.ticketId() == 0 ? null : d.ticketId());
        m.put("requestedBy", d.requestedBy());
        m.put("timeoutMs", d.timeoutMs());
        m.put("createdAt", instant(d.createdAtMs()));
        m.put("startedAt", instant(d.startedAtMs()));
        m.put("finishedAt", instant(d.finishedAtMs()));
        if (d.state().finished()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("message", d.message());
            result.put("summary", new java.util.TreeMap<>(d.summary()));
            result.put("bytes", d.bytes());
            result.put("truncated", d.truncated());
            result.put("contentType", d.contentType().isEmpty() ? "text/plain; charset=utf-8" : d.contentType());
            result.put("download", d.bytes() > 0 ? "/api/diagnostics/" + d.id() + "/output" : null);
            if (withOutput && d.textOutput() && d.bytes() > 0) {
                byte[] out = diagnostics.output(d.id());
                result.put("output", io.firstline.text.PlainText.decodeUtf8(out.length > INLINE_TEXT
                        ? java.util.Arrays.copyOf(out, INLINE_TEXT) : out));
            }
            m.put("result", result);
        } else {
            m.put("result", null);
        }
        return m;
    }

    private static String instant(long ms) {
        return ms <= 0 ? null : java.time.Instant.ofEpochMilli(ms).toString();
    }
}

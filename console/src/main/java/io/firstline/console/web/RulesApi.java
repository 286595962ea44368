package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import io.firstline.console.rules.RulesException;
import io.firstline.console.rules.RulesService;
import io.firstline.rules.Rule;
import io.firstline.wire.Durations;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/rules}: the rules in force and whether the file on disk is
 * valid; when it is not, the error with its file, line, rule and field.
 */
final class RulesApi implements ApiModule {
    private final RulesService rules;

    RulesApi(RulesService rules) {
        this.rules = rules;
    }

    @Override
    public void register(Router r) {
        r.get("/api/rules", Router.Access.SIGNED_IN, ex -> ex.respond(status()));
    }

    private FullHttpResponse status() {
        RulesService.Status s = rules.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", s.file().toString());
        m.put("valid", s.valid());
        m.put("checkedAt", s.checkedAt());
        m.put("activeVersion", s.activeVersion());
        if (!s.valid()) {
            RulesException p = s.problem();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("message", s.error());
            if (p != null) {
                e.put("file", p.file());
                e.put("line", p.line());
                e.put("rule", p.ruleId());
                e.put("field", p.field());
                e.put("problem", p.problem());
            }
            m.put("error", e);
        }
        m.put("checkInterval", Durations.format(rules.current().checkInterval()));
        m.put("rules", rules.current().rules().stream().map(RulesApi::rule).toList());
        return ApiHandler.json(OK, Json.write(m));
    }

    private static Map<String, Object> rule(Rule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("runsOn", r.kind().runsOnAgent() ? "agent" : "console");
        m.put("metric", r.metric());
        m.put("resource", r.resource());
        if (r.kind() == Rule.Kind.EVENT) {
            // An event rule has no condition on a value: it fires on each matching event and clears when quiet.
            m.put("condition", "on each " + r.metric() + " event");
            m.put("match", r.match());
            m.put("quiet", Durations.format(r.recoverFor()));
        } else {
            m.put("condition", r.comparison().symbol() + " " + r.threshold());
        }
        m.put("for", Durations.format(r.forDuration()));
        m.put("recoverThreshold", r.recoverThreshold());
        m.put("recoverFor", Durations.format(r.recoverFor()));
        m.put("severity", r.severity().label());
        m.put("title", r.text().title());
        m.put("kb", r.text().kbArticles());
        return m;
    }
}

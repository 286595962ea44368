package io.firstline.console.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.firstline.console.config.LineIndex;
import io.firstline.rules.Comparison;
import io.firstline.rules.Rule;
import io.firstline.rules.Scope;
import io.firstline.rules.Severity;
import io.firstline.wire.Durations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rules file (docs/rules.md) into a {@link RuleFile}. Any problem
 * rejects the whole file with a {@link RulesException} naming file, line,
 * rule id and field.
 */
public final class RulesParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern CONDITION = Pattern.compile("\\s*(>=|<=|==|!=|>|<)\\s*(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\\s*");
    private static final Set<String> TOP = Set.of("settings", "rules");
    private static final Set<String> SETTINGS = Set.of("check_interval");
    private static final Set<String> FIELDS = Set.of("id", "kind", "metric", "resource", "condition", "for", "recover",
            "require_ok_first", "flap", "stale_after", "horizon", "window", "severity", "scope", "title", "description",
            "user_text", "kb", "event", "match", "quiet", "diagnose");
    /** The fields an event rule may have: no metric, condition or durations but its quiet period. */
    private static final Set<String> EVENT_FIELDS = Set.of("id", "kind", "event", "resource", "match", "quiet", "severity",
            "scope", "title", "description", "user_text", "kb", "diagnose");
    static final Duration DEFAULT_QUIET = Duration.ofMinutes(10);
    private static final Set<String> RECOVER = Set.of("threshold", "for");
    private static final Set<String> FLAP = Set.of("window", "max_raises", "hold");
    private static final Set<String> SCOPE = Set.of("sites", "os", "tags");
    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(250);

    private final String file;
    private final LineIndex lines;

    private RulesParser(String file, LineIndex lines) {
        this.file = file;
        this.lines = lines;
    }

    public static RuleFile parse(String file, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new RulesException(file, line, "", "", "not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " "));
        }
        return new RulesParser(file, LineIndex.of(text)).read(root);
    }

    private RuleFile read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new RulesException(file, 1, "", "", "expected a mapping with 'rules' (and optionally 'settings')");
        }
        unknown(root, TOP, "", "");
        Duration check = DEFAULT_CHECK_INTERVAL;
        JsonNode settings = root.path("settings");
        if (settings.isObject()) {
            unknown(settings, SETTINGS, "settings", "");
            if (settings.has("check_interval")) {
                check = duration(settings.get("check_interval"), "settings.check_interval", "", "check_interval");
                if (check.toMillis() < 50 || check.toMillis() > 60_000) {
                    throw err("settings.check_interval", "", "check_interval", "must be between 50ms and 60s");
                }
            }
        }
        JsonNode list = root.path("rules");
        if (!list.isArray()) {
            throw err("rules", "", "rules", "'rules' must be a list of rules");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, List<DiagnoseStep>> diagnose = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Rule r = rule(list.get(i), "rules[" + i + "]");
            if (!ids.add(r.id())) {
                throw err("rules[" + i + "].id", r.id(), "id", "the id is used by an earlier rule");
            }
            rules.add(r);
            List<DiagnoseStep> steps = diagnose(list.get(i).path("diagnose"), "rules[" + i + "].diagnose", r.id());
            if (!steps.isEmpty()) {
                diagnose.put(r.id(), steps);
            }
        }
        return new RuleFile(rules, check, digest(root.toString()), diagnose);
    }

    private Rule rule(JsonNode n, String path) {
        if (!n.isObject()) {
            throw err(path, "", "", "a rule must be a mapping");
        }
        String id = n.path("id").asText("");
        if (!id.matches("[a-z][a-z0-9_]{0,63}")) {
            throw err(path + ".id", "", "id", "rule id '" + id + "' must be lower_snake_case (a-z, 0-9, _; at most 64)");
        }
        unknown(n, FIELDS, path, id);
        Rule.Kind kind = switch (n.path("kind").asText(n.has("event") ? "event" : "threshold")) {
            case "threshold" -> Rule.Kind.THRESHOLD;
            case "trend" -> Rule.Kind.TREND;
            case "console" -> Rule.Kind.CONSOLE;
            case "event" -> Rule.Kind.EVENT;
            default -> throw err(path + ".kind", id, "kind", "must be threshold, trend, console or event");
        };
        if (kind == Rule.Kind.EVENT) {
            return eventRule(n, path, id);
        }
        for (String f : List.of("event", "match", "quiet")) {
            if (n.has(f)) {
                throw err(path + "." + f, id, f, "only event rules (with 'event: TYPE') have '" + f + "'");
            }
        }
        String metric = required(n, "metric", path, id);
        String cond = required(n, "condition", path, id);
        Matcher m = CONDITION.matcher(cond);
        if (!m.matches()) {
            throw err(path + ".condition", id, "condition", "'" + cond + "' is not a condition like \"> 0.9\"");
        }
        Comparison comparison = Comparison.parse(m.group(1));
        double threshold = Double.parseDouble(m.group(2));
        Duration forD = duration(n.get("for"), path + ".for", id, "for");
        JsonNode rec = n.path("recover");
        double recoverThreshold = threshold;
        Duration recoverFor = forD;
        if (!rec.isMissingNode()) {
            if (!rec.isObject()) {
                throw err(path + ".recover", id, "recover", "must be a mapping like { threshold: 0.85, for: 1m }");
            }
            unknown(rec, RECOVER, path + ".recover", id);
            if (rec.has("threshold")) {
                recoverThreshold = number(rec.get("threshold"), path + ".recover.threshold", id, "recover.threshold");
            }
            if (rec.has("for")) {
                recoverFor = duration(rec.get("for"), path + ".recover.for", id, "recover.for");
            }
        }
        Rule.Flap flap = Rule.Flap.NONE;
        if (n.has("flap")) {
            JsonNode f = n.get("flap");
            unknown(f, FLAP, path + ".flap", id);
            JsonNode max = f.path("max_raises");
            if (!max.canConvertToInt() || max.asInt() < 2) {
                throw err(path + ".flap.max_raises", id, "flap.max_raises", "must be a whole number of at least 2");
            }
            flap = new Rule.Flap(duration(f.get("window"), path + ".flap.window", id, "flap.window"), max.asInt(),
                    duration(f.get("hold"), path + ".flap.hold", id, "flap.hold"));
        }
        Duration stale = n.has("stale_after") ? duration(n.get("stale_after"), path + ".stale_after", id, "stale_after") : Duration.ZERO;
        Duration horizon = Duration.ZERO;
        Duration window = Duration.ZERO;
        if (kind == Rule.Kind.TREND) {
            horizon = duration(n.get("horizon"), path + ".horizon", id, "horizon");
            window = duration(n.get("window"), path + ".window", id, "window");
        } else if (n.has("horizon") || n.has("window")) {
            throw err(path + (n.has("horizon") ? ".horizon" : ".window"), id, n.has("horizon") ? "horizon" : "window",
                    "only trend rules have a horizon and a window");
        }
        Severity severity;
        try {
            severity = Severity.parse(required(n, "severity", path, id));
        } catch (IllegalArgumentException e) {
            throw err(path + ".severity", id, "severity", e.getMessage());
        }
        Scope scope = scope(n, path, id);
        Rule.Text text = text(n, path, id);
        boolean okFirst = n.path("require_ok_first").asBoolean(false);
        try {
            return new Rule(id, kind, metric, n.path("resource").asText("*"), comparison, threshold, forD,
                    recoverThreshold, recoverFor, okFirst, flap, stale, horizon, window, severity, scope, text);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().contains("recover") ? "recover.threshold" : "";
            throw err(field.isEmpty() ? path : path + ".recover.threshold", id, field, e.getMessage());
        }
    }

    /** An event rule: {@code event: oom_kill}, optional {@code match} globs over the event's fields and {@code quiet}. */
    private Rule eventRule(JsonNode n, String path, String id) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!EVENT_FIELDS.contains(f)) {
                throw err(path + "." + f, id, f, "an event rule has no '" + f + "': it raises on each event and resolves after "
                        + "'quiet' without one (fields of event rules: " + String.join(", ", EVENT_FIELDS.stream().sorted().toList()) + ")");
            }
        }
        String type = required(n, "event", path, id);
        if (!type.matches("[a-z][a-z0-9_]{0,63}")) {
            throw err(path + ".event", id, "event", "event type '" + type + "' must be lower_snake_case, e.g. oom_kill");
        }
        Map<String, String> match = new LinkedHashMap<>();
        if (n.has("match")) {
            JsonNode m = n.get("match");
            if (!m.isObject()) {
                throw err(path + ".match", id, "match", "must be a mapping of event field to glob, e.g. { cgroup: \"/system.slice/*\" }");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode()) {
                    throw err(path + ".match." + e.getKey(), id, "match." + e.getKey(), "must be a glob string");
                }
                match.put(e.getKey(), e.getValue().asText());
            }
        }
        Duration quiet = n.has("quiet") ? duration(n.get("quiet"), path + ".quiet", id, "quiet") : DEFAULT_QUIET;
        if (quiet.isZero()) {
            throw err(path + ".quiet", id, "quiet", "must be longer than 0s: the ticket resolves after this long without an event");
        }
        Severity severity;
        try {
            severity = Severity.parse(required(n, "severity", path, id));
        } catch (IllegalArgumentException e) {
            throw err(path + ".severity", id, "severity", e.getMessage());
        }
        return new Rule(id, Rule.Kind.EVENT, type, n.path("resource").asText("*"), Comparison.ABOVE, 0, Duration.ZERO, 0, quiet,
                false, Rule.Flap.NONE, Duration.ZERO, Duration.ZERO, Duration.ZERO, severity, scope(n, path, id), text(n, path, id),
                match);
    }

    /** At most this many diagnostics per rule. */
    static final int MAX_DIAGNOSE = 4;

    /**
     * {@code diagnose: [{action: disk_usage, path: "{resource}"}, ...]}: known
     * actions and parameters; values without {@value DiagnoseStep#RESOURCE}
     * are checked now, the others when the ticket opens.
     */
    private List<DiagnoseStep> diagnose(JsonNode v, String path, String id) {
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw err(path, id, "diagnose", "must be a list of diagnostics, e.g. [{action: disk_usage, path: \"{resource}\"}]");
        }
        if (v.size() > MAX_DIAGNOSE) {
            throw err(path, id, "diagnose", "at most " + MAX_DIAGNOSE + " diagnostics per rule");
        }
        List<DiagnoseStep> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode step = v.get(i);
            if (!step.isObject()) {
                throw err(at, id, "diagnose", "each diagnostic must be a mapping with 'action' and its parameters");
            }
            String action = step.path("action").asText("");
            if (io.firstline.diagnostics.Action.of(action).isEmpty()) {
                throw err(at + ".action", id, "diagnose.action", "unknown action '" + action + "' (known: "
                        + String.join(", ", io.firstline.diagnostics.Action.names()) + ")");
            }
            Map<String, String> params = new LinkedHashMap<>();
            Map<String, String> checkable = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = step.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("action")) {
                    continue;
                }
                JsonNode value = e.getValue();
                String text;
                if (value.isArray()) {
                    List<String> parts = new ArrayList<>();
                    value.forEach(x -> parts.add(x.asText()));
                    text = String.join(",", parts);
                } else if (value.isValueNode() && !value.isNull()) {
                    text = value.asText();
                } else {
                    throw err(at + "." + e.getKey(), id, "diagnose." + e.getKey(), "must be a value or a list of values");
                }
                String rest = text.replace(DiagnoseStep.RESOURCE, "");
                if (rest.contains("{") || rest.contains("}")) {
                    throw err(at + "." + e.getKey(), id, "diagnose." + e.getKey(), "the only placeholder is " + DiagnoseStep.RESOURCE);
                }
                params.put(e.getKey(), text);
                checkable.put(e.getKey(), text.contains(DiagnoseStep.RESOURCE) ? sample(action, e.getKey()) : text);
            }
            try {
                io.firstline.diagnostics.Action.validate(action, checkable);
            } catch (io.firstline.diagnostics.InvalidParameter e) {
                throw err(at + "." + e.param(), id, "diagnose." + e.param(), e.getMessage());
            }
            out.add(new DiagnoseStep(action, params));
        }
        return out;
    }

    /** A valid stand-in for a parameter whose value comes from the ticket's resource, to check the rest of the step now. */
    private static String sample(String action, String param) {
        return io.firstline.diagnostics.Action.of(action).orElseThrow().params().stream().filter(p -> p.name().equals(param))
                .findFirst().map(p -> switch (p.kind()) {
                    case PATH -> "/";
                    case PORT, COUNT, LINES, SECONDS, PACKETS, DEPTH -> "1";
                    case URL -> "http://localhost/";
                    case DNS_TYPE -> "A";
                    case HTTP_METHOD -> "GET";
                    case INTERFACE -> "lo";
                    case LOG -> "syslog";
                    case UNIT -> "ssh.service";
                    default -> "localhost";
                }).orElse("x");
    }

    private Scope scope(JsonNode n, String path, String id) {
        if (!n.has("scope")) {
            return Scope.ANY;
        }
        JsonNode s = n.get("scope");
        unknown(s, SCOPE, path + ".scope", id);
        return new Scope(strings(s.path("sites"), path + ".scope.sites", id, "scope.sites"),
                strings(s.path("os"), path + ".scope.os", id, "scope.os"),
                strings(s.path("tags"), path + ".scope.tags", id, "scope.tags"));
    }

    private Rule.Text text(JsonNode n, String path, String id) {
        return new Rule.Text(required(n, "title", path, id), required(n, "description", path, id),
                required(n, "user_text", path, id), strings(n.path("kb"), path + ".kb", id, "kb"));
    }

    private String required(JsonNode n, String field, String path, String id) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            throw err(v == null ? path : path + "." + field, id, field, "is required");
        }
        return v.asText();
    }

    private Duration duration(JsonNode v, String path, String id, String field) {
        if (v == null || !v.isValueNode()) {
            throw err(path, id, field, "is required (a duration such as 30s, 5m, 24h)");
        }
        try {
            return Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw err(path, id, field, e.getMessage());
        }
    }

    private double number(JsonNode v, String path, String id, String field) {
        if (!v.isNumber()) {
            throw err(path, id, field, "'" + v.asText() + "' is not a number");
        }
        return v.asDouble();
    }

    private List<String> strings(JsonNode v, String path, String id, String field) {
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw err(path, id, field, "must be a list, e.g. [a, b]");
        }
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.asText()));
        return out;
    }

    private void unknown(JsonNode n, Set<String> known, String path, String id) {
        if (!n.isObject()) {
            throw err(path, id, path.substring(path.lastIndexOf('.') + 1), "must be a mapping");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                String full = path.isEmpty() ? f : path + "." + f;
                throw err(full, id, f, "unknown field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private RulesException err(String path, String id, String field, String problem) {
        return new RulesException(file, lines.line(path), id, field, problem);
    }

    private static String digest(String canonical) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

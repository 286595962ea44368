package io.firstline.console.rules;

import io.firstline.rules.Rule;
import java.time.Duration;
import java.util.List;

/**
 * A parsed, valid rules file.
 *
 * @param checkInterval how often agents re-check watched signals between samples
 * @param version       a digest of the file's text; changes whenever it does
 * @param diagnose      each rule's automatic triage ({@code diagnose:}), by rule id
 */
public record RuleFile(List<Rule> rules, Duration checkInterval, String version, java.util.Map<String, List<DiagnoseStep>> diagnose) {
    public RuleFile {
        rules = List.copyOf(rules);
        diagnose = java.util.Map.copyOf(diagnose);
    }

    public RuleFile(List<Rule> rules, Duration checkInterval, String version) {
        this(rules, checkInterval, version, java.util.Map.of());
    }

    /** The diagnostics rule {@code id} runs when its ticket opens (automatic triage); empty for none. */
    public List<DiagnoseStep> diagnose(String id) {
        return diagnose.getOrDefault(id, List.of());
    }

    public List<Rule> agentRules() {
        return rules.stream().filter(r -> r.kind().runsOnAgent()).toList();
    }

    public List<Rule> consoleRules() {
        return rules.stream().filter(r -> !r.kind().runsOnAgent()).toList();
    }

    public java.util.Optional<Rule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}

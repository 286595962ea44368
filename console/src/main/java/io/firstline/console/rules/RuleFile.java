package io.firstline.console.rules;

import io.firstline.rules.Rule;
import java.time.Duration;
import java.util.List;

/**
 * A parsed, valid rules file.
 *
 * @param checkInterval how often agents re-check watched signals between samples
 * @param version       a digest of the file's text; changes whenever it does
 */
public record RuleFile(List<Rule> rules, Duration checkInterval, String version) {
    public RuleFile {
        rules = List.copyOf(rules);
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

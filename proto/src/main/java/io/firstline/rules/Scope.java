package io.firstline.rules;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which agents a rule applies to. An empty list means "any". {@code os}
 * entries match the agent's OS family case-insensitively as a substring
 * ("linux", "windows", "debian"); an agent matches {@code tags} when it
 * carries at least one of them.
 */
public record Scope(List<String> sites, List<String> os, List<String> tags) {
    public static final Scope ANY = new Scope(List.of(), List.of(), List.of());

    public Scope {
        sites = List.copyOf(sites);
        os = List.copyOf(os);
        tags = List.copyOf(tags);
    }

    public boolean matches(String site, String osFamily, Set<String> agentTags) {
        if (!sites.isEmpty() && !sites.contains(site)) {
            return false;
        }
        if (!os.isEmpty()) {
            String family = osFamily.toLowerCase(Locale.ROOT);
            if (os.stream().noneMatch(o -> family.contains(o.toLowerCase(Locale.ROOT)))) {
                return false;
            }
        }
        return tags.isEmpty() || tags.stream().anyMatch(agentTags::contains);
    }
}

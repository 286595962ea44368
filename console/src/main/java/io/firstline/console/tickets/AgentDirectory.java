package io.firstline.console.tickets;

import java.util.Set;

/**
 * What tickets need to know about an agent: its host name, site and tags
 * (site and tags come with enrollment; until then they are empty).
 */
@FunctionalInterface
public interface AgentDirectory {
    record AgentFacts(String hostname, String site, String osFamily, Set<String> tags) {
        public static final AgentFacts UNKNOWN = new AgentFacts("", "", "", Set.of());

        public AgentFacts {
            tags = Set.copyOf(tags);
        }
    }

    AgentFacts facts(String agentId);
}

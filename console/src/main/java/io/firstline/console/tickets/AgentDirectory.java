package io.firstline.console.tickets;

import java.util.Set;

/**
 * What tickets need to know about an agent: its host name, site and tags
 * (site and tags come with enrollment; until then they are empty), and the
 * machine facts a ticket keeps as they were when it opened (OS family and
 * version, hardware model, agent version), so that reports about old tickets
 * stay true after the machine changes.
 */
@FunctionalInterface
public interface AgentDirectory {
    record AgentFacts(String hostname, String site, String osFamily, Set<String> tags, String osVersion, String hardware,
                      String agentVersion) {
        public static final AgentFacts UNKNOWN = new AgentFacts("", "", "", Set.of());

        public AgentFacts {
            tags = Set.copyOf(tags);
            osVersion = osVersion == null ? "" : osVersion;
            hardware = hardware == null ? "" : hardware;
            agentVersion = agentVersion == null ? "" : agentVersion;
        }

        /** Facts without the machine snapshot (OS version, hardware, agent version unknown). */
        public AgentFacts(String hostname, String site, String osFamily, Set<String> tags) {
            this(hostname, site, osFamily, tags, "", "", "");
        }
    }

    AgentFacts facts(String agentId);
}

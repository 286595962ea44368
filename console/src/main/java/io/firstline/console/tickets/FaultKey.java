package io.firstline.console.tickets;

/** The stable identity of a fault: which agent, which rule, which resource. */
public record FaultKey(String agentId, String ruleId, String resource) {
    /** The key as stored and sent to receivers (PagerDuty's dedup_key): {@code agent/rule/resource}. */
    public String value() {
        return agentId + "/" + ruleId + "/" + resource;
    }

    @Override
    public String toString() {
        return value();
    }
}

package io.firstline.console.tickets;

import io.firstline.rules.Rule;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent-side rules one agent was sent: the latest rule set (a fault may
 * be raised only for these), and, for clears, also the rules of earlier sets
 * (a rule that disappears makes the agent clear its faults). Bounded: at most
 * {@value #REMEMBERED} earlier rules are remembered.
 */
final class SentRules {
    static final int REMEMBERED = 512;
    static final SentRules NONE = new SentRules();

    private Map<String, Rule> current = Map.of();
    private final LinkedHashMap<String, Rule> earlier = new LinkedHashMap<>();

    synchronized void sent(List<Rule> rules) {
        Map<String, Rule> next = new LinkedHashMap<>();
        rules.forEach(r -> next.put(r.id(), r));
        current.forEach((id, r) -> {
            earlier.remove(id);
            earlier.put(id, r);
        });
        for (Iterator<String> it = earlier.keySet().iterator(); earlier.size() > REMEMBERED && it.hasNext(); ) {
            it.next();
            it.remove();
        }
        current = Map.copyOf(next);
    }

    /** The rule of the latest set with this id. */
    synchronized Optional<Rule> current(String id) {
        return Optional.ofNullable(current.get(id));
    }

    /** The rule with this id from the latest set, or else from an earlier one. */
    synchronized Optional<Rule> any(String id) {
        Rule r = current.get(id);
        return Optional.ofNullable(r != null ? r : earlier.get(id));
    }
}

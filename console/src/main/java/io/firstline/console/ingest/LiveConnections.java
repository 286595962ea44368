package io.firstline.console.ingest;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open, welcomed connection of each agent, so that revoking an agent
 * also ends the connection it already has (the handshake check then keeps
 * it out).
 */
public final class LiveConnections {
    private final ConcurrentHashMap<String, Channel> byAgent = new ConcurrentHashMap<>();

    void put(String agentId, Channel ch) {
        Channel old = byAgent.put(agentId, ch);
        if (old != null && old != ch) {
            old.close();
        }
    }

    void remove(String agentId, Channel ch) {
        byAgent.remove(agentId, ch);
    }

    /** Closes the agent's connection if it has one; returns whether it had. */
    public boolean disconnect(String agentId) {
        Channel ch = byAgent.remove(agentId);
        if (ch != null) {
            ch.close();
            return true;
        }
        return false;
    }

    /** Closes the connections of every agent in {@code agentIds}. */
    public int disconnectAll(Set<String> agentIds) {
        int n = 0;
        for (String id : agentIds) {
            if (byAgent.containsKey(id) && disconnect(id)) {
                n++;
            }
        }
        return n;
    }
}

package io.firstline.console.ingest;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open, welcomed connection of each agent, so that revoking an agent
 * also ends the connection it already has (the handshake check then keeps
 * it out), and so that an agent has one connection at a time: a newer Hello
 * with the same agent id supersedes the older connection, which is told
 * why ({@code Refuse(SUPERSEDED)}), counted and logged by its own session.
 */
public final class LiveConnections {
    /** Fired on a superseded connection's pipeline; {@code remote} is where the newer connection came from. */
    record Superseded(String remote) {
    }

    private final ConcurrentHashMap<String, Channel> byAgent = new ConcurrentHashMap<>();

    void put(String agentId, Channel ch, String remote) {
        Channel old = byAgent.put(agentId, ch);
        if (old != null && old != ch) {
            // Runs on the old connection's event loop: its session refuses, counts, logs and closes.
            old.pipeline().fireUserEventTriggered(new Superseded(remote));
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

package io.firstline.agent.link;

import io.firstline.proto.Envelope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Outbox} in memory, bounded: when full, the oldest message is
 * dropped and counted. It survives a lost connection, not a restart of the
 * agent.
 */
public final class MemoryOutbox implements Outbox {
    private final ArrayDeque<Envelope> pending = new ArrayDeque<>();
    private final int capacity;
    private long lastSequence;
    private long dropped;

    public MemoryOutbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public Envelope append(Envelope.Builder message) {
        Envelope e = message.setSequence(++lastSequence).build();
        if (pending.size() == capacity) {
            pending.removeFirst();
            dropped++;
        }
        pending.addLast(e);
        return e;
    }

    @Override
    public List<Envelope> after(long after) {
        List<Envelope> out = new ArrayList<>();
        for (Envelope e : pending) {
            if (e.getSequence() > after) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public void ack(long sequence) {
        while (!pending.isEmpty() && pending.peekFirst().getSequence() <= sequence) {
            pending.removeFirst();
        }
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public int size() {
        return pending.size();
    }
}
